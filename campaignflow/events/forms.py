"""The event form: what the owner types, handed to the service as the API's data."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Event


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _questions_text(questions: list[dict]) -> str:
    lines = []
    for q in questions:
        line = q["label"] + ("*" if q.get("required") else "")
        if q.get("kind") == "choice":
            line += ": " + " / ".join(q.get("options", []))
        lines.append(line)
    return "\n".join(lines)


def _questions(text: str) -> list[dict]:
    """One question a line: `公司*` (required), `行业: 零售 / 餐饮 / 其他` (a choice)."""
    questions = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        label, sep, options = line.partition(":") if ":" in line else line.partition("：")
        label = label.strip()
        required = label.endswith("*")
        question = {"label": label.rstrip("*").strip(), "required": required}
        if sep:
            question |= {"kind": "choice", "options": [o.strip() for o in options.split("/") if o.strip()]}
        questions.append(question)
    return questions


class EventForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=LocalDateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends at"), required=False, widget=LocalDateTimeInput())
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    stream_url = forms.CharField(label=_("Live-stream link"), max_length=500, required=False)
    capacity = forms.IntegerField(label=_("Capacity"), required=False, min_value=1, help_text=_("Empty: no limit."))
    waitlist = forms.BooleanField(label=_("Waiting list when full"), required=False, initial=True)
    allow_international = forms.BooleanField(label=_("Take numbers from outside mainland China"), required=False)
    opens_at = forms.DateTimeField(label=_("Registration opens"), required=False, widget=LocalDateTimeInput())
    closes_at = forms.DateTimeField(label=_("Registration closes"), required=False, widget=LocalDateTimeInput())
    channels = forms.CharField(
        label=_("Channels"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One a line (抖音, 微信 …): each gets its own link and QR poster."),
    )  # fmt: skip
    questions = forms.CharField(
        label=_("Questions"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One a line beyond name and phone; * = required; 行业: 零售 / 餐饮 = a choice."),
    )  # fmt: skip
    consent_text = forms.CharField(
        label=_("Consent text"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown above the consent box; empty: the standard text. A change gets a new version."),
    )  # fmt: skip

    def data_for_service(self) -> dict:
        data = dict(self.cleaned_data)
        for field in ("starts_at", "ends_at", "opens_at", "closes_at"):
            data[field] = data[field].isoformat() if data.get(field) else None
        data["channels"] = [c.strip() for c in (data.get("channels") or "").splitlines() if c.strip()]
        data["questions"] = _questions(data.get("questions") or "")
        return data


def event_initial(event: Event) -> dict:
    def local(moment):
        return timezone.localtime(moment) if moment else None

    return {
        "name": event.name,
        "starts_at": local(event.starts_at),
        "ends_at": local(event.ends_at),
        "place": event.place,
        "stream_url": event.stream_url,
        "capacity": event.capacity,
        "waitlist": event.waitlist,
        "allow_international": event.allow_international,
        "opens_at": local(event.opens_at),
        "closes_at": local(event.closes_at),
        "channels": "\n".join(event.channels),
        "questions": _questions_text(event.questions),
        "consent_text": event.consent_text,
    }
