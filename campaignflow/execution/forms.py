"""Web forms for execution records; the services validate (one set of messages)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import IssueStatus, RiskCategory, RiskStatus, Severity


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class StandupForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    done = forms.CharField(label=_("Done yesterday / today"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    not_done = forms.CharField(label=_("Not done"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    not_done_reason = forms.CharField(label=_("Why not"), required=False, widget=forms.Textarea(attrs={"rows": 1}))
    need_support = forms.CharField(label=_("Support needed"), required=False, widget=forms.Textarea(attrs={"rows": 1}))
    # The version the page showed (0: none yet), read with posted_version; the offline queue's client_key.
    version = forms.CharField(required=False, widget=forms.HiddenInput)
    client_key = forms.CharField(required=False, widget=forms.HiddenInput)


class IssueForm(forms.Form):
    description = forms.CharField(label=_("Issue"), max_length=500)
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices, initial=Severity.MEDIUM)
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    # when it was found, if earlier than it is logged (the SLA clock starts then); empty: now
    found_at = forms.DateTimeField(
        label=_("Found at"), required=False, widget=DateTimeInput(), help_text=_("Empty: now. The clock starts here.")
    )


class IssueEditForm(IssueForm):
    """One issue's page: what it is, who handles it, when it was found, and where it stands."""

    # fixed once logged, as the API has it: the SLA deadlines count from it (shown, not sent)
    found_at = forms.DateTimeField(
        label=_("Found at"),
        widget=DateTimeInput(),
        disabled=True,
        required=False,
        help_text=_("Fixed once logged: the deadlines count from it."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=IssueStatus.choices)
    solution = forms.CharField(
        label=_("Solution"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class IssueUpdateForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"), choices=IssueStatus.choices)
    solution = forms.CharField(label=_("Solution"), required=False, max_length=5000)


class SlaForm(forms.Form):
    """The campaign's issue deadlines (execution settings), on the issue log for those who manage the campaign."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    response_sla_hours = forms.IntegerField(label=_("First response within (hours)"), min_value=1, max_value=720)
    resolution_sla_hours = forms.IntegerField(label=_("Solution within (hours)"), min_value=1, max_value=720)


class RiskForm(forms.Form):
    title = forms.CharField(label=_("Risk"), max_length=200)
    category = forms.ChoiceField(label=_("Category"), choices=RiskCategory.choices)
    likelihood = forms.TypedChoiceField(
        label=_("Likelihood"), choices=[(i, i) for i in range(1, 6)], coerce=int, initial=3
    )
    impact = forms.TypedChoiceField(label=_("Impact"), choices=[(i, i) for i in range(1, 6)], coerce=int, initial=3)
    trigger = forms.CharField(label=_("Trigger"), max_length=300, required=False)
    mitigation = forms.CharField(label=_("Mitigation"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    contingency_plan = forms.CharField(
        label=_("Contingency plan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=RiskStatus.choices, initial=RiskStatus.OPEN)


class LogForm(forms.Form):
    at = forms.DateTimeField(label=_("Time"), widget=DateTimeInput(), required=False)
    event = forms.CharField(label=_("Event"), max_length=500)
    handling = forms.CharField(
        label=pgettext_lazy("execution log", "Handling"), required=False, widget=forms.Textarea(attrs={"rows": 1})
    )
    result = forms.CharField(label=_("Result"), required=False, widget=forms.Textarea(attrs={"rows": 1}))


class LogEditForm(LogForm):
    """A logged entry's page: its time stays (empty is "now" only when logging)."""

    at = forms.DateTimeField(label=_("Time"), widget=DateTimeInput())


class SegmentForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DateTimeInput())
    minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=1440, initial=5)
    segment = forms.CharField(label=_("Segment"), max_length=200)
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    notes = forms.CharField(label=_("Notes"), max_length=500, required=False)


class ReportForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    key_results = forms.CharField(label=_("Key results"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    delayed_tasks = forms.CharField(
        label=_("Delayed tasks and causes"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    next_week_plan = forms.CharField(
        label=_("Next week's plan"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    resources = forms.CharField(
        label=_("Resources to coordinate"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


def with_member_choices(form, campaign):
    """Fill every owner select with the campaign's members."""
    choices = [("", "—")] + [(m.user.username, m.user.label) for m in campaign.memberships.select_related("user")]
    for name in ("owner",):
        if name in form.fields:
            form.fields[name].choices = choices
    return form
