"""A person's identity at a sign-in source, linked to their one account."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExternalIdentity(models.Model):
    """`method` (the sign-in method's id: ldap, oidc, dingtalk, feishu, wecom) and `subject` (the source's
    stable id for the person: LDAP entryUUID / AD objectGUID or the DN, OIDC sub, the chat app's union id)
    name one person at one source; several identities may lead to the same account."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_identities", verbose_name=_("user")
    )
    method = models.CharField(_("method"), max_length=40)
    subject = models.CharField(_("subject"), max_length=255)
    email = models.CharField(_("e-mail"), max_length=254, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_sign_in_at = models.DateTimeField(_("last sign-in"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["method", "subject"], name="uniq_signin_identity")]
        ordering = ["method", "subject"]
        verbose_name = _("external identity")
        verbose_name_plural = _("external identities")

    def __str__(self) -> str:
        return f"{self.method}:{self.subject}"
