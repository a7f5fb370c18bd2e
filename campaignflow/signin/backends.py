"""Authentication backends of the login form and of the external sign-ins.

Order in AUTHENTICATION_BACKENDS: axes (lockout) → LDAP (`ldap.LDAPBackend`, when configured) → `PasswordBackend`
(local passwords). A backend that refuses for a reason the person should read notes it on the request
(`note_failure`): the login form shows that message instead of "wrong username or password", and the failed
attempt is audited with its reason. Raising PermissionDenied stops the other backends; Django then signals a
failed login, which axes counts."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .methods import password_login_mode


@dataclass(frozen=True)
class Failure:
    method: str
    reason: str  # short English code for the audit log
    message: str = ""  # for the person; empty: the form's usual "wrong username or password"


def note_failure(request, *, method: str, reason: str, message: str = "") -> None:
    if request is not None:
        request.signin_failures = [*getattr(request, "signin_failures", []), Failure(method, reason, message)]


def failures(request) -> list[Failure]:
    return list(getattr(request, "signin_failures", []))


class SessionBackend(ModelBackend):
    """Loads the user of a session (an inactive account no longer loads) and answers permissions; it never
    checks a password. External sign-ins (`flow.complete_sign_in`) log in with it."""

    method_id = "external"

    def authenticate(self, request, **credentials):
        return None


class PasswordBackend(ModelBackend):
    """Local passwords. With PASSWORD_LOGIN=admins only superusers and the admin role (the break-glass
    administrator) may use one; anyone else is told to use the company sign-in."""

    method_id = "password"

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None or password_login_mode() == "all" or user.is_admin:
            return user
        note_failure(
            request,
            method=self.method_id,
            reason="password_login_admins_only",
            message=_("Local passwords are for administrators only. Sign in with your company account."),
        )
        raise PermissionDenied
