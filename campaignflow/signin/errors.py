"""Why a sign-in did not happen. The messages are shown on the login page as they are."""

from __future__ import annotations


class SignInRefused(Exception):
    """A person the source vouched for may not sign in (the account is disabled, …): `message` is for them,
    `reason` a short English code for the audit log (never a secret)."""

    def __init__(self, message: str, *, reason: str = "refused"):
        super().__init__(message)
        self.message = message
        self.reason = reason


class SourceUnavailable(Exception):
    """The directory / IdP could not be asked (down, timeout, TLS failure): neither yes nor no."""
