from django.urls import path

from . import views

app_name = "review"

urlpatterns = [
    path("campaigns/<int:pk>/review/", views.overview, name="overview"),
    path("campaigns/<int:pk>/review/evaluation/<int:kpi_id>/", views.evaluation_row, name="evaluation-row"),
    path("campaigns/<int:pk>/review/retrospective/", views.retrospective, name="retrospective"),
    path("campaigns/<int:pk>/review/promote/", views.promote, name="promote"),
    path("campaigns/<int:pk>/review/start-from-case/", views.start_from_case, name="start-from-case"),
    path("cases/", views.cases, name="cases"),
]
