from django.urls import path

from . import views

app_name = "materials"

MATERIAL = "campaigns/<int:pk>/materials/<int:material_id>/"

urlpatterns = [
    path("campaigns/<int:pk>/materials/", views.material_list, name="list"),
    path(MATERIAL, views.material_detail, name="detail"),
    path(MATERIAL + "edit/", views.material_edit, name="edit"),
    path(MATERIAL + "delete/", views.material_delete, name="delete"),
    path(MATERIAL + "preview/", views.material_preview, name="preview"),
    path(MATERIAL + "compare/", views.material_compare, name="compare"),
    # the upload middleware streams and hashes this path's files (core.uploads._LARGE_FILE_ROUTES)
    path(MATERIAL + "files/", views.file_upload, name="upload"),
    path(MATERIAL + "submit/", views.material_submit, name="submit"),
    path(MATERIAL + "review/", views.material_review, name="review"),
    path(MATERIAL + "accept/", views.material_accept, name="accept"),
    path(MATERIAL + "leftovers/", views.material_leftovers, name="leftovers"),
    path(MATERIAL + "comments/", views.comment_create, name="comment"),
    path(MATERIAL + "comments/<int:material_comment_id>/", views.comment_resolve, name="comment-resolve"),
]
