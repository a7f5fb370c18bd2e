from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("campaigns/<int:pk>/alerts/", views.alert_list, name="list"),
    path("campaigns/<int:pk>/alerts/<int:alert_id>/", views.alert_action, name="action"),
    path("campaigns/<int:pk>/alerts/evaluate/", views.evaluate_now, name="evaluate"),
    path("campaigns/<int:pk>/alerts/rules/", views.save_rules, name="rules"),
]
