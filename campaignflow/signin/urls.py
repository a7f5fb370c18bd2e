from django.urls import include, path

from . import sso_views, views

# The login page keeps its name ("login", no namespace); the redirect sign-ins are signin:… under /signin/.
urlpatterns = [*views.page.urlpatterns, path("signin/", include((sso_views.page.urlpatterns, "signin")))]
