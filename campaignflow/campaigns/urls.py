from django.urls import path  # noqa

urlpatterns = []
