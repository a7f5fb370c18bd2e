from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read/", views.inbox_read, name="read"),
    path("inbox/preferences/", views.preferences, name="preferences"),
    path("campaigns/<int:pk>/notifications/mute/", views.campaign_mute, name="mute"),
    path("campaigns/<int:pk>/execution/notifications/", views.campaign_settings, name="campaign"),
]
