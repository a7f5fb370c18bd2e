"""One way for an HTML view to hand a form or a button to a service (ADR 0006).

A view loads with access (`campaign_for_user(..., EDIT)`), binds its form and calls `submit`, which
runs the service and puts a refusal where the user reads it; the view then redirects or re-renders.
A button that posts without a form (delete, approve, sign) calls `act` instead: the answer is a message,
but a `Forbidden` from the service stays a refusal (403), as the API answers. In a form, the user was
already allowed on the page and the service refused what they typed (a partner contact naming another
company), so `submit` shows a `Forbidden` in the form like any other refusal.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.contrib import messages
from django.forms import BaseForm
from django.http import HttpRequest
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext, pgettext

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


def _field_words(field: str, labels: Mapping[str, str] | None) -> str | None:
    """A refused field in the reader's words: the view's own label, else the field's name when the language
    has words for it ("evaluation" → 评估); None when it has none (a row key like rows[3].value)."""
    if labels and field in labels:
        return str(labels[field])
    if not re.fullmatch(r"[a-z][a-z_]*", field):
        return None
    english = capfirst(field.replace("_", " "))
    words = gettext(english)
    return words if words != english or (get_language() or "").startswith("en") else None


def refusal_text(exc: DomainError, labels: Mapping[str, str] | None = None) -> str:
    """A refusal as a message to read. An `InvalidInput`'s `detail` names its fields by code for API clients
    ("evaluation: 请填写评估…"); here each field is named by its label ("评估：请填写评估…", `labels` or the
    field's translated name) or, without one, the message stands alone. Any other refusal: its detail."""
    if isinstance(exc, InvalidInput) and exc.errors:
        coded = "; ".join(f"{e['field']}: {e['message']}" for e in exc.errors)
        if exc.detail != coded:  # the service worded the refusal itself
            return exc.detail
        parts = []
        for e in exc.errors:
            label = _field_words(str(e["field"]), labels)
            message = str(e["message"])
            parts.append(
                pgettext("refused field", "%(field)s: %(message)s") % {"field": label, "message": message}
                if label
                else message
            )
        return " ".join(dict.fromkeys(parts))
    return exc.detail


def apply_errors(form: BaseForm, exc: InvalidInput) -> None:
    """The service's field errors on the form's fields; a field the form lacks goes above the form.

    A form whose service parses the text (`service_parses`) was validated too: where both refused a field,
    the service's message (it names what is wanted, "an amount, e.g. 1.2万") replaces the form's own
    ("This field is required."), so each field shows one message."""
    for field, message in exc.as_field_dict().items():
        if field in form.fields:
            form.errors.pop(field, None)
            form.add_error(field, message)
        else:
            form.add_error(None, message)


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


def submit_edit(request: HttpRequest, form: BaseForm, update: Callable[..., T], success: str, **target) -> Submitted[T]:
    """An edit page's POST (`submit_posted`): the service's `update(actor=…, version=…, data=…, **target)`, e.g.
    `services.risk_update` with `risk=risk`, given the version the page posted and the form's cleaned data."""
    version = posted_version(request)
    return submit_posted(
        request,
        form,
        lambda: update(actor=request.user, version=version, data=form.cleaned_data, **target),
        success,
    )


def act(
    request: HttpRequest,
    call: Callable[[], T],
    success: str | Callable[[T], str] | None = None,
    labels: Mapping[str, str] | None = None,
) -> bool:
    """Call the service behind a button: `success` (a text, or made from the answer) or its refusal as a message
    (`refusal_text`: an invalid field by its label, `labels` the view's own words for its fields)."""
    try:
        value = call()
    except Forbidden:
        raise
    except DomainError as exc:
        messages.error(request, refusal_text(exc, labels))
        return False
    if success is not None:
        messages.success(request, success(value) if callable(success) else success)
    return True
