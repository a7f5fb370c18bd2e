from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SigninConfig(AppConfig):
    name = "campaignflow.signin"
    label = "signin"
    verbose_name = _("Company sign-in")

    def ready(self) -> None:
        from django.conf import settings

        from campaignflow.core.scheduler import register_job

        from . import checks, ldap_directory, ldap_sync, methods, refresh

        checks.check_settings()  # a bad SSO_ROLE_MAP, PASSWORD_LOGIN or LDAP setting stops the start, naming it
        methods.register("password", methods.password_method)
        ldap_directory.register()
        refresh.connect()
        # a no-op while LDAP_URI is unset
        register_job("signin.ldap_sync", ldap_sync.sync_ldap, every=settings.LDAP_SYNC_MINUTES * 60)
