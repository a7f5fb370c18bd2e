from django.urls import path

from . import views

app_name = "goals"

urlpatterns = [
    path("campaigns/<int:pk>/goals/", views.kpi_list, name="kpis"),
    path("campaigns/<int:pk>/goals/kpis/new/", views.kpi_create, name="kpi-create"),
    path("campaigns/<int:pk>/goals/kpis/<int:kpi_id>/", views.kpi_edit, name="kpi-edit"),
    path("campaigns/<int:pk>/goals/kpis/<int:kpi_id>/delete/", views.kpi_delete, name="kpi-delete"),
    path("campaigns/<int:pk>/goals/kpis/<int:kpi_id>/plan/", views.kpi_plan, name="kpi-plan"),
    path("campaigns/<int:pk>/goals/channels/new/", views.channel_create, name="channel-create"),
    path("campaigns/<int:pk>/goals/channels/<int:channel_id>/delete/", views.channel_delete, name="channel-delete"),
    path("campaigns/<int:pk>/goals/channels/<int:channel_id>/share/", views.channel_share, name="channel-share"),
]
