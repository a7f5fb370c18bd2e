"""The login form's directory passwords: the company directory checks them, `provision` makes/finds the account.

Wrong password or unknown person → the form's usual error; directory unreachable → "目录服务暂时无法连接"; both
audited by the login view and counted by django-axes (this runs inside `authenticate()` after axes' check). A
failure falls through to the local password (the break-glass administrator still gets in while the directory is
down); a person the directory vouched for whose account is disabled here is stopped with that message."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from . import ldap_directory
from .backends import SessionBackend, note_failure
from .errors import SignInRefused, SourceUnavailable
from .provisioning import provision

log = logging.getLogger(__name__)


class LDAPBackend(SessionBackend):
    method_id = ldap_directory.METHOD_ID

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not ldap_directory.configured() or username is None or password is None:
            return None
        try:
            identity, reason = ldap_directory.authenticate(username, password)
        except SourceUnavailable as exc:
            log.warning("LDAP sign-in: directory unavailable (%s)", exc)
            note_failure(
                request,
                method=self.method_id,
                reason="directory_unavailable",
                message=_("The directory service cannot be reached right now. Please try again in a moment."),
            )
            return None
        if identity is None:
            note_failure(request, method=self.method_id, reason=reason)
            return None
        try:
            user = provision(identity)
        except SignInRefused as exc:
            note_failure(request, method=self.method_id, reason=exc.reason, message=exc.message)
            raise PermissionDenied from None
        return user if self.user_can_authenticate(user) else None
