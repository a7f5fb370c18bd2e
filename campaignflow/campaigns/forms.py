"""Web forms. They only collect input: validation rules live in services (one set of messages)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from campaignflow.accounts.models import User

from .models import CampaignType, MemberRole, Playbook


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    type = forms.ChoiceField(label=_("Type"), choices=CampaignType.choices, initial=CampaignType.GENERAL)
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())
    end_date = forms.DateField(label=_("End date"), widget=DateInput())
    budget_total = forms.CharField(
        label=_("Budget total (¥)"), required=False, max_length=40, help_text=_("e.g. 500000, 50万 or 500,000.00")
    )
    owner = forms.ModelChoiceField(
        label=_("Owner (总负责人)"),
        queryset=User.objects.filter(is_active=True),
        required=False,
        to_field_name="username",
    )
    industry = forms.CharField(label=_("Industry"), max_length=100, required=False)
    tags = forms.CharField(label=_("Tags"), max_length=500, required=False, help_text=_("Separated by commas"))
    description = forms.CharField(
        label=_("Goals and description"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("SMART goals, e.g. 活动期间销售额提升30%，新增会员3000人"),
    )

    def __init__(self, *args, people=None, **kwargs):
        """`people`: whom the caller may pick (access.visible_people); a partner user sees only their campaigns'."""
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["owner"].queryset = people.filter(is_active=True)
        self.fields["owner"].label_from_instance = lambda u: f"{u.label} ({u.username})"


class CampaignCreateForm(CampaignForm):
    playbook = forms.ModelChoiceField(
        label=_("Playbook"),
        queryset=Playbook.objects.all(),
        required=False,
        to_field_name="key",
        empty_label=_("— none: an empty plan —"),
    )

    field_order = [
        "name",
        "playbook",
        "start_date",
        "end_date",
        "type",
        "budget_total",
        "owner",
        "industry",
        "tags",
        "description",
    ]


class CampaignEditForm(CampaignForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class MemberForm(forms.Form):
    username = forms.ModelChoiceField(
        label=_("User"), queryset=User.objects.filter(is_active=True), to_field_name="username"
    )
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices, initial=MemberRole.MEMBER)

    def __init__(self, *args, campaign=None, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = (people if people is not None else User.objects).filter(is_active=True)
        if campaign is not None:
            qs = qs.exclude(memberships__campaign=campaign)
        self.fields["username"].queryset = qs
        self.fields["username"].label_from_instance = lambda u: f"{u.label} ({u.username})"


class PlaybookCopyForm(forms.Form):
    name = forms.CharField(label=_("Name of the copy"), max_length=200)
    key = forms.SlugField(label=_("Key"), max_length=80, help_text=_("Lower-case letters, digits and dashes"))
