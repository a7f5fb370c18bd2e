from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "campaigns"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="campaigns:list", permanent=False), name="home"),
    path("campaigns/", views.campaign_list, name="list"),
    path("campaigns/new/", views.campaign_create, name="create"),
    path("campaigns/new/preview/", views.plan_preview, name="preview"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="detail"),
    path("campaigns/<int:pk>/edit/", views.campaign_edit, name="edit"),
    path("campaigns/<int:pk>/history/", views.campaign_history, name="history"),
    path("campaigns/<int:pk>/delete/", views.campaign_delete, name="delete"),
    path("campaigns/<int:pk>/restore/", views.campaign_restore, name="restore"),
    path("campaigns/<int:pk>/transition/", views.campaign_transition, name="transition"),
    path("campaigns/<int:pk>/members/", views.member_add, name="member-add"),
    path("campaigns/<int:pk>/members/<int:member_id>/", views.member_change, name="member-change"),
    path("playbooks/", views.playbook_list, name="playbooks"),
    path("playbooks/<slug:key>/", views.playbook_detail, name="playbook"),
    path("playbooks/<slug:key>/copy/", views.playbook_copy, name="playbook-copy"),
    path("playbooks/<slug:key>/edit/", views.playbook_edit, name="playbook-edit"),
]
