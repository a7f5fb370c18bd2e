from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SigninConfig(AppConfig):
    name = "campaignflow.signin"
    label = "signin"
    verbose_name = _("Company sign-in")

    def ready(self) -> None:
        from django.conf import settings

        from campaignflow.core.scheduler import register_job

        from . import chat, chat_sync, checks, ldap_directory, ldap_sync, methods, oidc, refresh

        checks.check_settings()  # a bad SSO_ROLE_MAP, PASSWORD_LOGIN or LDAP setting stops the start, naming it
        methods.register("password", methods.password_method)
        ldap_directory.register()
        oidc.register()
        chat.register()  # DingTalk, Feishu, WeCom
        refresh.connect()
        # no-ops while LDAP_URI / the chat apps' settings are unset
        register_job("signin.ldap_sync", ldap_sync.sync_ldap, every=settings.LDAP_SYNC_MINUTES * 60)
        register_job("signin.chat_sync", chat_sync.sync_chat_apps, every=settings.CHAT_SYNC_MINUTES * 60)
