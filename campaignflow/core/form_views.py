"""One way for an HTML view to hand a form or a button to a service (ADR 0006).

A view loads with access (`campaign_for_user(..., EDIT)`), binds its form and calls `submit`, which
runs the service and puts a refusal where the user reads it; the view then redirects or re-renders.
A button that posts without a form (delete, approve, sign) calls `act` instead: the answer is a message,
but a `Forbidden` from the service stays a refusal (403), as the API answers. In a form, the user was
already allowed on the page and the service refused what they typed (a partner contact naming another
company), so `submit` shows a `Forbidden` in the form like any other refusal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.contrib import messages
from django.forms import BaseForm
from django.http import HttpRequest

from .errors import DomainError, Forbidden, InvalidInput, StaleVersion

T = TypeVar("T")


@dataclass(frozen=True)
class Submitted(Generic[T]):
    """What `submit` did: `saved` with the service's answer, or not (the form holds the errors)."""

    saved: bool
    value: T | None = None
    conflict: str = ""  # a StaleVersion's message: the page shows it with a "reload" link
    status: int = 200  # the refusal's HTTP status for the page shown again: 422 (the form's own errors), 413, 409…


def posted_version(request: HttpRequest) -> int:
    """The `version` a page posted; text that is no number is a version no row has (the service says stale)."""
    try:
        return int(request.POST.get("version") or 0)
    except ValueError:
        return -1


def apply_errors(form: BaseForm, exc: InvalidInput) -> None:
    """The service's field errors on the form's fields; a field the form lacks goes above the form."""
    for field, message in exc.as_field_dict().items():
        form.add_error(field if field in form.fields else None, message)


def submit(
    form: BaseForm, save: Callable[[], T], *, service_parses: bool = False, errors_on: str | None = None
) -> Submitted[T]:
    """Validate `form`, call `save()` and map the service's refusal onto the form.

    `service_parses`: the service reads the raw text itself (amounts like "1.2万"), so it is called
    even when the form has errors; the form is still validated to show its own messages.
    `errors_on`: the field that shows any other refusal (e.g. a rejected receipt); None = above the form.
    """
    if not form.is_valid() and not service_parses:
        return Submitted(saved=False, status=InvalidInput.status)
    try:
        value = save()
    except InvalidInput as exc:
        apply_errors(form, exc)
    except StaleVersion as exc:
        return Submitted(saved=False, conflict=exc.detail, status=exc.status)
    except DomainError as exc:  # Forbidden too: the page was allowed, this input is refused (see `act`)
        form.add_error(errors_on, exc.detail)
        return Submitted(saved=False, status=exc.status)
    else:
        return Submitted(saved=True, value=value)
    return Submitted(saved=False, status=InvalidInput.status)


def submit_posted(
    request: HttpRequest, form: BaseForm, save: Callable[[], T], success: str | None = None, **options
) -> Submitted[T]:
    """A form page's POST: `submit` (with its `options`), then `success` as the message once saved.

    On a GET nothing is submitted: the answer is "not saved" with no conflict, and the page shows the form.
    """
    if request.method != "POST":
        return Submitted(saved=False)
    result = submit(form, save, **options)
    if result.saved and success is not None:
        messages.success(request, success)
    return result


def act(request: HttpRequest, call: Callable[[], T], success: str | Callable[[T], str] | None = None) -> bool:
    """Call the service behind a button: `success` (a text, or made from the answer) or its refusal as a message."""
    try:
        value = call()
    except Forbidden:
        raise
    except DomainError as exc:
        messages.error(request, exc.detail)
        return False
    if success is not None:
        messages.success(request, success(value) if callable(success) else success)
    return True
