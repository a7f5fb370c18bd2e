"""Web forms of the notification pages: they collect what was typed; the services check it and name the field."""

from django import forms


class RobotForm(forms.Form):
    """'Add a robot' on the campaign's notification page. Nothing is required here: the service names a
    missing name, an unknown kind or a refused address at its field (the same words as the API)."""

    name = forms.CharField(required=False, strip=False)
    kind = forms.CharField(required=False)
    url = forms.CharField(required=False, strip=False)
    secret = forms.CharField(required=False, strip=False)
    events = forms.Field(required=False, widget=forms.CheckboxSelectMultiple)  # none ticked: all
