from django.urls import include, path, re_path

from . import views

# The issuer is http://127.0.0.1:<port>/openid (a path, as Keycloak's realms and many IdPs have): the product
# must find discovery at <issuer>/.well-known/openid-configuration.
urlpatterns = [
    path("login/", views.IdpLoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    re_path(r"^openid/authorize/?$", views.PkceAuthorizeView.as_view()),
    re_path(r"^openid/token/?$", views.token_view),
    re_path(r"^openid/\.well-known/openid-configuration/?$", views.DiscoveryView.as_view()),
    path("openid/", include("oidc_provider.urls", namespace="oidc_provider")),
    path("_control/users", views.control_user),
    path("_control/users/<str:username>", views.control_user_delete),
    path("_control/redirect-uris", views.control_redirect_uri),
    path("_control/next-id-token", views.control_next_id_token),
    path("_control/reset", views.control_reset),
]
