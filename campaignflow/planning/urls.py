from django.urls import path

from . import views

app_name = "planning"

urlpatterns = [
    path("tasks/<int:task_id>/quick/", views.task_quick_update, name="task-quick"),
]
