from django.urls import path

from . import views

app_name = "tracking"

urlpatterns = [
    path("campaigns/<int:pk>/board/", views.board, name="board"),
    path("campaigns/<int:pk>/data/", views.data, name="data"),
    path("campaigns/<int:pk>/data/jobs/<int:job_id>/", views.job_progress, name="job-progress"),
    path("campaigns/<int:pk>/data/confirm/", views.upload_confirm, name="upload-confirm"),
    path("campaigns/<int:pk>/data/grid/", views.grid, name="grid"),
    path("campaigns/<int:pk>/data/batches/<int:batch_id>/undo/", views.batch_undo, name="batch-undo"),
]
