import zoneinfo

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

TIMEZONES = [("", _("Default (%(tz)s)") % {"tz": settings.TIME_ZONE})] + [
    (tz, tz)
    for tz in (
        "Asia/Shanghai",
        "Asia/Hong_Kong",
        "Asia/Taipei",
        "Asia/Singapore",
        "Asia/Tokyo",
        "Europe/London",
        "Europe/Berlin",
        "America/New_York",
        "America/Los_Angeles",
        "UTC",
    )
]


class PreferencesForm(forms.Form):
    display_name = forms.CharField(label=_("Display name"), max_length=100, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    language = forms.ChoiceField(
        label=_("Language"), choices=[("", _("Browser default")), *settings.LANGUAGES], required=False
    )
    timezone = forms.ChoiceField(label=_("Time zone"), choices=TIMEZONES, required=False)

    def clean_timezone(self):
        tz = self.cleaned_data["timezone"]
        if tz:
            try:
                zoneinfo.ZoneInfo(tz)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                raise forms.ValidationError(_("Unknown time zone.")) from None
        return tz


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100, initial="API")
