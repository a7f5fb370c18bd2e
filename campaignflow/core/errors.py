"""Domain exceptions. Services raise them; config/api.py and the views map them to HTTP once."""

from __future__ import annotations

from django.utils.translation import gettext as _


class DomainError(Exception):
    """Base class: a rule of the domain refused the operation."""

    status = 400

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail

    def payload(self) -> dict:
        return {"detail": self.detail}


class InvalidInput(DomainError):
    """Input that parsed but breaks a rule; names the offending field(s)."""

    status = 422

    def __init__(self, errors: dict[str, str] | list[dict], detail: str | None = None):
        if isinstance(errors, dict):
            errors = [{"field": field, "message": message} for field, message in errors.items()]
        self.errors = errors
        text = detail or "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        super().__init__(text)

    def payload(self) -> dict:
        return {"detail": self.detail, "errors": self.errors}

    def as_field_dict(self) -> dict[str, str]:
        return {e["field"]: e["message"] for e in self.errors}


class StaleVersion(DomainError):
    """Someone else changed the object since the client read it."""

    status = 409

    def __init__(self, current_version: int, detail: str | None = None):
        self.current_version = current_version
        super().__init__(
            detail
            or _("This object was changed by someone else (current version %(version)s). Reload and try again.")
            % {"version": current_version}
        )

    def payload(self) -> dict:
        return {"detail": self.detail, "current_version": self.current_version}


class Conflict(DomainError):
    """An illegal state change or a duplicate."""

    status = 409


class GateUnmet(Conflict):
    """A lifecycle move whose stage-gate conditions do not hold."""

    def __init__(self, unmet: list[str], detail: str | None = None):
        self.unmet = unmet
        super().__init__(detail or _("Stage gate conditions are not met: %s") % "; ".join(unmet))

    def payload(self) -> dict:
        return {"detail": self.detail, "unmet": self.unmet}


class Forbidden(DomainError):
    """The user may see the object but not do this to it."""

    status = 403


class TooLarge(DomainError):
    """An upload beyond its size limit."""

    status = 413


class UnsupportedType(DomainError):
    """An upload of a kind the product does not take (decided from its bytes)."""

    status = 415
