"""Execution control: risks, the issue log with its SLA, the execution log, run-of-show,
stand-ups and weekly reports (seeds 000, 002, 003, 004)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from campaignflow.core.model_fields import status_field, user_ref
from campaignflow.core.models import CampaignCoded, VersionedModel

from .domain import sla


class ExecutionSettings(VersionedModel):
    """Per-campaign execution rules (defaults from seed 002: answer within 24 h, solve within 48 h)."""

    campaign = models.OneToOneField("campaigns.Campaign", on_delete=models.CASCADE, related_name="execution_settings")
    response_sla_hours = models.PositiveIntegerField(_("first response within (hours)"), default=24)
    resolution_sla_hours = models.PositiveIntegerField(_("solution within (hours)"), default=48)
    standup_time = models.TimeField(_("daily stand-up time"), default="17:00")

    class Meta:
        verbose_name = _("execution settings")
        verbose_name_plural = _("execution settings")


class RiskCategory(models.TextChoices):
    TECHNICAL = "technical", _("Technical")
    RESOURCE = "resource", _("Resource")
    MARKET = "market", _("Market")
    PARTNER = "partner", _("Partner")
    COMPLIANCE = "compliance", _("Compliance")
    OTHER = "other", _("Other")


class RiskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MONITORING = "monitoring", _("Monitoring")
    OCCURRED = "occurred", _("Occurred")
    CLOSED = "closed", _("Closed")


class Risk(CampaignCoded, VersionedModel):
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="risks")
    title = models.CharField(_("risk"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=RiskCategory.choices, default=RiskCategory.OTHER)
    likelihood = models.PositiveSmallIntegerField(_("likelihood (1–5)"), default=3)
    impact = models.PositiveSmallIntegerField(_("impact (1–5)"), default=3)
    mitigation = models.TextField(_("mitigation"), blank=True)
    contingency_plan = models.TextField(_("contingency plan"), blank=True)
    trigger = models.CharField(_("trigger"), max_length=300, blank=True)
    owner = user_ref(verbose_name=_("owner"))
    status = status_field(RiskStatus, default=RiskStatus.OPEN)

    class Meta(CampaignCoded.Meta):
        ordering = ["campaign", "code"]
        verbose_name = _("risk")
        verbose_name_plural = _("risks")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


class Severity(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class IssueStatus(models.TextChoices):
    OPEN = "open", _("Not handled")
    IN_PROGRESS = "in_progress", _("Handling")
    RESOLVED = "resolved", _("Resolved")


class Issue(CampaignCoded, VersionedModel):
    """The issue log (seed 002 table 4): Q001 …, with a first-response and a solution deadline."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="issues")
    description = models.CharField(_("description"), max_length=500)
    found_at = models.DateTimeField(_("found at"))
    owner = user_ref(verbose_name=_("owner"))
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.MEDIUM)
    status = status_field(IssueStatus, default=IssueStatus.OPEN)
    solution = models.TextField(_("solution"), blank=True)
    first_response_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    response_sla_hours = models.PositiveIntegerField(default=24)
    resolution_sla_hours = models.PositiveIntegerField(default=48)

    class Meta(CampaignCoded.Meta):
        ordering = ["campaign", "-found_at", "-id"]
        indexes = [models.Index(fields=["campaign", "status"])]
        verbose_name = _("issue")
        verbose_name_plural = _("issue log")

    def __str__(self) -> str:
        return f"{self.code} {self.description[:40]}"

    def sla_state(self, now) -> sla.SlaState:
        return sla.evaluate(
            found_at=self.found_at,
            first_response_at=self.first_response_at,
            resolved_at=self.resolved_at,
            response_hours=self.response_sla_hours,
            resolution_hours=self.resolution_sla_hours,
            now=now,
        )

    @cached_property
    def sla_now(self) -> sla.SlaState:
        """The SLA state now, read once per instance: every SLA field of one answer uses one clock reading."""
        return self.sla_state(timezone.now())


class ExecutionLogEntry(VersionedModel):
    """现场执行日志: time, event, handling, result."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="execution_logs")
    at = models.DateTimeField(_("time"))
    event = models.CharField(_("event"), max_length=500)
    handling = models.TextField(_("handling"), blank=True)
    result = models.TextField(_("result"), blank=True)
    author = user_ref(blank=False)

    class Meta:
        ordering = ["campaign", "-at", "-id"]
        verbose_name = _("execution log entry")
        verbose_name_plural = _("execution log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.event[:40]}"


class RunOfShowItem(VersionedModel):
    """One segment of an online event's run-of-show (seed 003), ticked off live."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="run_of_show")
    starts_at = models.DateTimeField(_("starts at"))
    minutes = models.PositiveIntegerField(_("minutes"), default=5)
    segment = models.CharField(_("segment"), max_length=200)
    owner = user_ref(verbose_name=_("owner"))
    notes = models.CharField(_("notes"), max_length=500, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        ordering = ["campaign", "starts_at", "id"]
        verbose_name = _("run-of-show segment")
        verbose_name_plural = _("run of show")

    def __str__(self) -> str:
        return f"{self.starts_at:%H:%M} {self.segment}"


class Standup(VersionedModel):
    """A person's daily stand-up: done / not done + reason / need support."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="standups")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="standups")
    date = models.DateField(_("date"))
    done = models.TextField(_("done"), blank=True)
    not_done = models.TextField(_("not done"), blank=True)
    not_done_reason = models.TextField(_("reason not done"), blank=True)
    need_support = models.TextField(_("support needed"), blank=True)
    # The key the phone's offline queue sent with the last save: the same key again is that save replayed
    # (a reload in the middle of a send), answered as done without writing twice (ADR 0017).
    client_key = models.CharField(_("client key"), max_length=64, blank=True, default="")

    class Meta:
        ordering = ["campaign", "-date", "user_id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "user", "date"], name="uniq_standup_day")]
        verbose_name = _("stand-up")
        verbose_name_plural = _("stand-ups")

    def __str__(self) -> str:
        return f"{self.date} {self.user}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class WeeklyReport(VersionedModel):
    """周进度报告: generated from the data as a draft, edited, then published."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="weekly_reports")
    week_start = models.DateField(_("week starting"))
    status = status_field(ReportStatus, default=ReportStatus.DRAFT)
    key_results = models.TextField(_("key results"), blank=True)
    delayed_tasks = models.TextField(_("delayed tasks and causes"), blank=True)
    next_week_plan = models.TextField(_("next week's plan"), blank=True)
    resources = models.TextField(_("resources to coordinate"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = user_ref()
    # The figures the report showed when it was published (execution.report_snapshot: numbers as exact
    # decimal text), so that later data leaves a published report as it was. None for a draft, which
    # computes them live, and for a report published before reports kept them (those stay live).
    figures_snapshot = models.JSONField(_("figures at publication"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["campaign", "-week_start"]
        constraints = [models.UniqueConstraint(fields=["campaign", "week_start"], name="uniq_weekly_report")]
        verbose_name = _("weekly report")
        verbose_name_plural = _("weekly reports")

    def __str__(self) -> str:
        return f"{self.campaign} {self.week_start}"
