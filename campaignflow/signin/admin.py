from django.contrib import admin

from campaignflow.core.admin_mixins import AuditedAdminMixin

from .models import ExternalIdentity


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Linking a person's identity at a source to an existing account: add a row with the account, the method id
    (ldap, oidc, dingtalk, feishu, wecom) and the source's id for them (`manage.py link_identity` does the same)."""

    list_display = ("user", "method", "subject", "email", "created_at", "last_sign_in_at")
    list_filter = ("method",)
    search_fields = ("user__username", "user__display_name", "subject", "email")
    raw_id_fields = ("user",)
    readonly_fields = ("created_at", "last_sign_in_at")
