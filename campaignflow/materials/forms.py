"""Web forms of materials: they collect what was typed; the services check it (one set of messages)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from campaignflow.campaigns.forms import DateInput

from .models import LeftoverAction, MaterialKind

# What the file picker offers: the kinds the store accepts (core.domain.filetypes); a phone adds its camera.
ACCEPTED_FILES = (
    "image/*,application/pdf,video/*,audio/*,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.key,.zip,.rar,.7z,"
    "application/msword,application/vnd.openxmlformats-officedocument.*,application/zip"
)
# Budget categories whose lines pay for materials (物料费): the built-in key and what teams type.
MATERIAL_CATEGORIES = ("materials", "物料费", "物料")


class MaterialForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=MaterialKind.choices, initial=MaterialKind.OTHER)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=0, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=20, required=False)
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    vendor = forms.CharField(label=_("Vendor"), max_length=200, required=False)
    due_date = forms.CharField(label=_("Due date"), required=False, widget=DateInput())
    budget_line = forms.ChoiceField(label=_("Budget line (materials)"), required=False)
    task = forms.ChoiceField(label=_("Task"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
    partner_approval = forms.BooleanField(
        label=_("Needs the partner's approval (co-branded)"),
        required=False,
        help_text=_("Co-branded material is shared with the partners, who approve their side."),
    )
    shared_with_partners = forms.BooleanField(label=_("Shared with partners"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, campaign, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        members = campaign.memberships.select_related("user").order_by("id")
        self.fields["owner"].choices = [("", "—")] + [(m.user.username, m.user.label) for m in members]
        lines = campaign.budget_lines.filter(category__in=MATERIAL_CATEGORIES)
        if current is not None and current.budget_line_id:  # keep a line chosen before under another category
            lines = lines | campaign.budget_lines.filter(pk=current.budget_line_id)
        self.fields["budget_line"].choices = [("", "—")] + [(line.pk, line.item) for line in lines.order_by("id")]
        tasks = campaign.tasks.order_by("sort_order", "id").values_list("pk", "code", "name")
        self.fields["task"].choices = [("", "—")] + [(pk, f"{code} {name}") for pk, code, name in tasks]

    def data_for_service(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


def material_initial(material) -> dict:
    return {
        "name": material.name,
        "kind": material.kind,
        "quantity": material.quantity,
        "unit": material.unit,
        "owner": material.owner.username if material.owner_id else "",
        "vendor": material.vendor,
        "due_date": material.due_date.isoformat() if material.due_date else "",
        "budget_line": material.budget_line_id or "",
        "task": material.task_id or "",
        "note": material.note,
        "partner_approval": material.partner_approval,
        "shared_with_partners": material.shared_with_partners,
        "version": material.version,
    }


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class AcceptForm(forms.Form):
    received_quantity = forms.IntegerField(label=_("Received quantity"), min_value=0, required=False)
    comment = forms.CharField(label=_("Note"), required=False, max_length=5000)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class LeftoverForm(forms.Form):
    leftover_quantity = forms.IntegerField(label=_("Quantity left"), min_value=0, required=False)
    leftover_action = forms.ChoiceField(
        label=_("Stock or scrap"), choices=[("", "—"), *LeftoverAction.choices], required=False
    )
    leftover_place = forms.CharField(label=_("Stored at"), max_length=200, required=False)
    leftover_note = forms.CharField(label=_("Note"), max_length=500, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2, "data-comment-body": ""})
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False)
    page = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    x = forms.FloatField(widget=forms.HiddenInput, required=False)
    y = forms.FloatField(widget=forms.HiddenInput, required=False)
    w = forms.FloatField(widget=forms.HiddenInput, required=False)
    h = forms.FloatField(widget=forms.HiddenInput, required=False)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File"), required=False)  # the view names a missing or too large file
