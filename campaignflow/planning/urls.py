from django.urls import path

from . import views

app_name = "planning"

urlpatterns = [
    path("tasks/<int:task_id>/quick/", views.task_quick_update, name="task-quick"),
    path("campaigns/<int:pk>/plan/", views.plan_page, name="plan"),
    path("campaigns/<int:pk>/plan/add/", views.task_add, name="task-add"),
    path("campaigns/<int:pk>/plan/bulk/", views.task_bulk, name="task-bulk"),
    path("campaigns/<int:pk>/plan/settings/", views.settings_update, name="settings"),
    path("campaigns/<int:pk>/plan/periods/", views.periods_update, name="periods"),
    path("campaigns/<int:pk>/plan/baselines/", views.baseline_add, name="baseline-add"),
    path("campaigns/<int:pk>/plan/import/", views.import_page, name="import"),
    path("campaigns/<int:pk>/raci/", views.raci_page, name="raci"),
    path("campaigns/<int:pk>/gantt/", views.gantt_page, name="gantt"),
    path("campaigns/<int:pk>/gantt/data/", views.gantt_json, name="gantt-data"),
    path("my/tasks/", views.my_tasks, name="my-tasks"),
    path("my/calendar-feed/", views.feed_update, name="feed"),
    path("portfolio/", views.portfolio, name="portfolio"),
]
