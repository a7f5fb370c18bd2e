from django.urls import path

from . import views

app_name = "execution"

urlpatterns = [
    path("campaigns/<int:pk>/execution/", views.overview, name="overview"),
    path("campaigns/<int:pk>/execution/issues/", views.issues, name="issues"),
    path("campaigns/<int:pk>/execution/issues/<int:issue_id>/", views.issue_update, name="issue-update"),
    path("campaigns/<int:pk>/execution/risks/", views.risks, name="risks"),
    path("campaigns/<int:pk>/execution/logs/", views.logs, name="logs"),
    path("campaigns/<int:pk>/execution/run-of-show/<int:item_id>/toggle/", views.segment_toggle, name="segment-toggle"),
    path("campaigns/<int:pk>/execution/reports/", views.reports, name="reports"),
    path("campaigns/<int:pk>/execution/reports/<int:report_id>/", views.report_detail, name="report"),
    path("campaigns/<int:pk>/execution/reports/<int:report_id>/share/", views.report_share, name="report-share"),
]
