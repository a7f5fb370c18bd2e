"""The phone forms: big text areas for the stand-up, one decimal keypad input per daily number."""

from django import forms
from django.utils.translation import gettext_lazy as _

from campaignflow.execution.forms import StandupForm


def _area(rows: int, hint: str) -> forms.Textarea:
    # enterkeyhint/autocapitalize: the phone keyboard (and its voice input) writes sentences, not commands
    return forms.Textarea(
        attrs={"rows": rows, "placeholder": hint, "enterkeyhint": "next", "autocapitalize": "sentences"}
    )


class PhoneStandupForm(StandupForm):
    """The desktop stand-up's fields (the same service checks them), sized for a thumb, with the version read."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["done"].widget = _area(4, _("What got done"))
        self.fields["not_done"].widget = _area(3, _("What did not get done"))
        self.fields["not_done_reason"].widget = _area(2, _("Why not (needed when something is not done)"))
        self.fields["need_support"].widget = _area(2, _("Who or what would unblock you"))


class NumbersForm(forms.Form):
    """The day, the version read, and one text input per (channel, metric) of the cards, named `v<i>_<j>`:
    the values are typed as people write them (1.2万, 1,200) and parsed by the tracking rules."""

    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, cards: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        for i, card in enumerate(cards):
            for j, item in enumerate(card["metrics"]):
                name = f"v{i}_{j}"
                item["field"] = name
                self.fields[name] = forms.CharField(
                    label=item["metric"],
                    required=False,
                    max_length=60,
                    initial=item.get("value", ""),
                    widget=forms.TextInput(
                        attrs={"inputmode": "decimal", "autocomplete": "off", "enterkeyhint": "next"}
                    ),
                )
