"""Budget, lines, expenses, approvals, partners, cost sharing and settlement sign-offs."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from campaignflow.core.model_fields import status_field, user_ref
from campaignflow.core.models import VersionedModel

MONEY = {"max_digits": 14, "decimal_places": 2}


class BudgetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Category(models.TextChoices):
    """The usual categories (seed 004's 预算分配表 plus the seeds' lists); any other text is allowed too."""

    CHANNEL = "channel", _("Channel promotion")
    MATERIALS = "materials", _("Materials")
    VENUE = "venue", _("Venue")
    PEOPLE = "people", _("People")
    PRIZES = "prizes", _("Prizes")
    TECH = "tech", _("Technology")
    CONTINGENCY = "contingency", _("Contingency reserve")
    OTHER = "other", _("Other")


class ExpenseStatus(models.TextChoices):
    APPROVED = "approved", _("Approved")
    HELD = "held", _("Needs director approval")
    PENDING = "pending", _("Waiting for approval")  # a correction waits for finance (or a director)
    REJECTED = "rejected", _("Rejected")


def default_weights() -> dict:
    return {"industry_relevance": "0.30", "audience_overlap": "0.30", "resource_strength": "0.20", "brand_fit": "0.20"}


# An held expense's `over_reason` in words (the approvals card, the history pages).
OVERRUN_REASONS = {"line": _("over the line's plan"), "total": _("over the campaign's planned total")}


class Budget(VersionedModel):
    """One per campaign: approval status, contingency rule, partner-evaluation weights."""

    campaign = models.OneToOneField("campaigns.Campaign", on_delete=models.CASCADE, related_name="budget")
    status = status_field(BudgetStatus, default=BudgetStatus.DRAFT, db_index=True)
    contingency_min = models.DecimalField(
        _("contingency minimum"), max_digits=5, decimal_places=4, default=Decimal("0.10")
    )
    contingency_max = models.DecimalField(
        _("contingency maximum"), max_digits=5, decimal_places=4, default=Decimal("0.15")
    )
    partner_weights = models.JSONField(_("partner evaluation weights"), default=default_weights)
    revision = models.PositiveIntegerField(_("revision"), default=0)  # how many times it was approved
    submitted_by = user_ref()
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The lines as they were last approved: the base of a revision's diff.
    approved_lines = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")

    def __str__(self) -> str:
        return f"{self.campaign} · {self.get_status_display()}"


class BudgetEvent(models.Model):
    """Approval history: submit / approve / reject / revise, who, when, comment, and the diff shown."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=20)
    actor = user_ref(blank=False)
    at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)
    diff = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("budget event")
        verbose_name_plural = _("budget events")

    def __str__(self) -> str:
        return f"{self.budget_id} {self.action}"


class Partner(VersionedModel):
    """A partner company (合作方)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    contacts = models.TextField(_("contacts"), blank=True, help_text=_("Names, phones, e-mails"))
    note = models.TextField(_("note"), blank=True)
    created_by = user_ref()

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner company")
        verbose_name_plural = _("partner companies")

    def __str__(self) -> str:
        return self.name


class PartnerContact(models.Model):
    """A user who acts for a partner company (campaign role `partner`)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_contact")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contact_users")

    class Meta:
        verbose_name = _("partner contact")
        verbose_name_plural = _("partner contacts")

    def __str__(self) -> str:
        return f"{self.user} @ {self.partner}"


class CampaignPartner(VersionedModel):
    """A partner company in a campaign: evaluation (candidate) and participation."""

    class State(models.TextChoices):
        CANDIDATE = "candidate", _("Candidate")
        PARTICIPATING = "participating", _("Participating")

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="campaign_partners")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="campaigns")
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.CANDIDATE)
    industry_relevance = models.DecimalField(_("industry relevance"), max_digits=4, decimal_places=1, default=0)
    audience_overlap = models.DecimalField(_("audience overlap"), max_digits=4, decimal_places=1, default=0)
    resource_strength = models.DecimalField(_("resource strength"), max_digits=4, decimal_places=1, default=0)
    brand_fit = models.DecimalField(_("brand fit"), max_digits=4, decimal_places=1, default=0)
    resources = models.TextField(_("resource contributions"), blank=True)
    role_note = models.CharField(_("role"), max_length=200, blank=True)

    class Meta:
        ordering = ["campaign", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "partner"], name="uniq_campaign_partner")]
        verbose_name = _("campaign partner")
        verbose_name_plural = _("campaign partners")

    def __str__(self) -> str:
        return f"{self.partner} @ {self.campaign_id}"


class BudgetLine(VersionedModel):
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="budget_lines")
    category = models.CharField(_("category"), max_length=50, db_index=True)
    item = models.CharField(_("item"), max_length=200)
    planned = models.DecimalField(_("planned"), **MONEY)
    owner = user_ref()
    note = models.TextField(_("note"), blank=True)
    channel = models.CharField(_("channel"), max_length=100, blank=True)
    shared_with_partners = models.BooleanField(_("shared with partners"), default=False)

    class Meta:
        ordering = ["campaign", "id"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")

    def __str__(self) -> str:
        return f"{self.category} / {self.item}"


class Expense(VersionedModel):
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="expenses")
    line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="expenses")
    amount = models.DecimalField(_("amount"), **MONEY)
    date = models.DateField(_("date"))
    payee = models.CharField(_("payee"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    # Who paid: a participating partner, or the campaign's own company (null).
    paid_by = models.ForeignKey(
        CampaignPartner, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    status = status_field(ExpenseStatus, default=ExpenseStatus.APPROVED, db_index=True)
    over_reason = models.CharField(max_length=300, blank=True)
    decided_by = user_ref()
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(blank=True)
    receipt = models.FileField(_("receipt"), upload_to="receipts/%Y/%m/", blank=True)
    receipt_name = models.CharField(max_length=200, blank=True)
    created_by = user_ref()
    # The last correction: who and when (its before/after is in the audit log); they may not approve it.
    corrected_by = user_ref()
    corrected_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")

    def __str__(self) -> str:
        return f"{self.date} {self.amount}"


class CostShare(models.Model):
    """A party's share of the costs: campaign-wide (line null) or for one line. party null = our company."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="cost_shares")
    line = models.ForeignKey(BudgetLine, null=True, blank=True, on_delete=models.CASCADE, related_name="shares")
    party = models.ForeignKey(CampaignPartner, null=True, blank=True, on_delete=models.CASCADE, related_name="shares")
    ratio = models.DecimalField(_("ratio"), max_digits=7, decimal_places=4)

    class Meta:
        ordering = ["campaign", "line", "id"]
        verbose_name = _("cost share")
        verbose_name_plural = _("cost shares")

    def __str__(self) -> str:
        return f"{self.party_id or 'host'}: {self.ratio}"


class Responsibility(VersionedModel):
    """One item of a partner's 合作方职责清单."""

    campaign_partner = models.ForeignKey(CampaignPartner, on_delete=models.CASCADE, related_name="responsibilities")
    text = models.CharField(_("responsibility"), max_length=300)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)

    class Meta:
        ordering = ["campaign_partner", "id"]
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")

    def __str__(self) -> str:
        return self.text


class SettlementSignoff(models.Model):
    """A party signed the settlement statement (its digest at that moment)."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="settlement_signoffs")
    party = models.ForeignKey(CampaignPartner, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    user = user_ref(blank=False)
    at = models.DateTimeField(auto_now_add=True)
    digest = models.CharField(max_length=64)

    class Meta:
        ordering = ["campaign", "at"]
        verbose_name = _("settlement sign-off")
        verbose_name_plural = _("settlement sign-offs")

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.party_id or 'host'} {self.at:%Y-%m-%d}"
