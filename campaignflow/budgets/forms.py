"""Web forms: they collect text; the services parse money ("1.2万") and decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CampaignPartner, Category


class LineForm(forms.Form):
    category = forms.CharField(
        label=_("Category"),
        max_length=50,
        widget=forms.TextInput(attrs={"list": "category-options"}),
        help_text=_("Pick one or type a new category."),
    )
    item = forms.CharField(label=_("Item"), max_length=200)
    planned = forms.CharField(label=_("Planned (CNY)"), max_length=40, help_text=_("e.g. 80000, 8万 or 80,000.00"))
    owner = forms.CharField(
        label=_("Owner (username)"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"list": "member-options"}),
    )
    channel = forms.CharField(
        label=_("Channel"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"list": "channel-options"}),
        help_text=_("The channel whose cost this line is: the review's ROI of that channel counts it."),
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    shared_with_partners = forms.BooleanField(label=_("Shared with partners"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_category(self) -> str:
        """The form shows a category by its name in the reader's language (渠道推广, Channel promotion): a name
        of a known category goes back as its key; any other text is a category of its own."""
        text = self.cleaned_data["category"].strip()
        return {str(label): key for key, label in Category.choices}.get(text, text)


class ExpenseForm(forms.Form):
    budget_line = forms.ChoiceField(label=_("Budget line"))
    amount = forms.CharField(label=_("Amount (CNY)"), max_length=40)
    date = forms.CharField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    payee = forms.CharField(label=_("Payee"), max_length=200, required=False)
    paid_by = forms.ChoiceField(label=_("Paid by"), required=False)
    note = forms.CharField(label=_("Note"), max_length=5000, required=False)
    receipt = forms.FileField(label=_("Receipt (PDF/PNG/JPEG, ≤ 5 MB)"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, lines=(), parties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].choices = [("", "—")] + [
            (r["id"], f"{r['category_label']} / {r['item']}") for r in lines
        ]
        self.fields["paid_by"].choices = [("host", _("Our company (host)"))] + [(p.id, p.partner.name) for p in parties]


class PartnerAddForm(forms.Form):
    name = forms.CharField(label=_("Partner company"), max_length=200)
    industry = forms.CharField(label=_("Industry"), max_length=100, required=False)
    contacts = forms.CharField(label=_("Contacts"), max_length=2000, required=False)


class PartnerCompanyForm(PartnerAddForm):
    """The company itself (its name, industry, contacts, note), on its own page."""

    contacts = forms.CharField(
        label=_("Contacts"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    note = forms.CharField(label=_("Note"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class EvaluationForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    state = forms.ChoiceField(label=_("State"), choices=CampaignPartner.State.choices)
    industry_relevance = forms.DecimalField(label=_("Industry relevance"), min_value=0, max_value=10, decimal_places=1)
    audience_overlap = forms.DecimalField(label=_("Audience overlap"), min_value=0, max_value=10, decimal_places=1)
    resource_strength = forms.DecimalField(label=_("Resource strength"), min_value=0, max_value=10, decimal_places=1)
    brand_fit = forms.DecimalField(label=_("Brand fit"), min_value=0, max_value=10, decimal_places=1)
    resources = forms.CharField(
        label=_("Resource contributions"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


CATEGORY_CHOICES = Category.choices
