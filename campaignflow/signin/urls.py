from django.urls import include, path

from . import sso_views, views

# The login page keeps its name ("login", no namespace); the redirect sign-ins are signin:… under /signin/.
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("signin/", include((sso_views.page.urlpatterns, "signin"))),
]
