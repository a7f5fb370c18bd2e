from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SigninConfig(AppConfig):
    name = "campaignflow.signin"
    label = "signin"
    verbose_name = _("Company sign-in")

    def ready(self) -> None:
        from . import checks, methods, refresh

        checks.check_settings()  # a bad SSO_ROLE_MAP or PASSWORD_LOGIN stops the start, naming the entry
        methods.register("password", methods.password_method)
        refresh.connect()
