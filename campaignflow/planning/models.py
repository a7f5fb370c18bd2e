"""The campaign plan: tasks (WBS phase → module → task)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from campaignflow.core.model_fields import status_field, user_ref
from campaignflow.core.models import CampaignCoded, VersionedModel


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DELAYED = "delayed", _("Delayed")
    BLOCKED = "blocked", _("Blocked")


class Task(CampaignCoded, VersionedModel):
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="tasks")
    name = models.CharField(_("name"), max_length=200)
    phase = models.CharField(_("phase"), max_length=200, blank=True)
    module = models.CharField(_("module"), max_length=200, blank=True)
    owner = user_ref(related_name="tasks", verbose_name=_("owner"))
    owner_role = models.CharField(_("owner role"), max_length=200, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("due date"), null=True, blank=True)
    status = status_field(TaskStatus, default=TaskStatus.NOT_STARTED)
    progress = models.PositiveSmallIntegerField(_("progress %"), default=0)
    milestone = models.BooleanField(_("milestone"), default=False)
    deliverable = models.CharField(_("deliverable"), max_length=500, blank=True)
    acceptance = models.CharField(_("acceptance criterion"), max_length=500, blank=True)
    delay_reason = models.CharField(_("delay reason"), max_length=500, blank=True)
    remark = models.CharField(_("remark"), max_length=500, blank=True)
    sort_order = models.PositiveIntegerField(default=0)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_finish = models.DateField(_("actual finish"), null=True, blank=True)
    # The due date a playbook step had when its campaign was created with it already past and the
    # creator chose to keep it: not reported overdue while the task still has that date.
    kept_past_due = models.DateField(_("kept past due date"), null=True, blank=True, editable=False)

    class Meta(CampaignCoded.Meta):
        ordering = ["campaign", "sort_order", "id"]
        indexes = [
            models.Index(fields=["campaign", "end_date"]),
            models.Index(fields=["owner", "status"]),
            models.Index(fields=["campaign", "status"], name="planning_task_campaign_status"),  # list counts
            # plan order: the Gantt, the task list and the schedule read a campaign's tasks in it
            # (at 10,000 tasks the sort it saves cost a third of the read)
            models.Index(fields=["campaign", "sort_order", "id"], name="planning_task_plan_order"),
        ]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class DependencyType(models.TextChoices):
    FS = "FS", _("Finish to start")
    SS = "SS", _("Start to start")
    FF = "FF", _("Finish to finish")
    SF = "SF", _("Start to finish")


class TaskDependency(models.Model):
    """`successor` depends on `predecessor` (type + lag in calendar days, or China working days)."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="task_links")
    predecessor = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="successor_links")
    successor = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="dependencies")
    type = models.CharField(_("type"), max_length=2, choices=DependencyType.choices, default=DependencyType.FS)
    lag_days = models.IntegerField(_("lag (days)"), default=0)
    workdays = models.BooleanField(_("lag in China working days"), default=False)

    class Meta:
        ordering = ["successor", "id"]
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="uniq_task_dependency"),
            models.CheckConstraint(condition=~models.Q(predecessor=models.F("successor")), name="no_self_dependency"),
        ]
        verbose_name = _("task dependency")
        verbose_name_plural = _("task dependencies")

    def __str__(self) -> str:
        return f"{self.predecessor_id} {self.type}+{self.lag_days} → {self.successor_id}"


class PlanSettings(VersionedModel):
    """Per-campaign plan settings; its `version` also guards the RACI matrix and the periods."""

    campaign = models.OneToOneField("campaigns.Campaign", on_delete=models.CASCADE, related_name="plan_settings")
    auto_schedule = models.BooleanField(
        _("move dependants automatically"),
        default=False,
        help_text=_("When a task ends later, move the tasks that depend on it (otherwise they are only flagged)."),
    )

    class Meta:
        verbose_name = _("plan settings")
        verbose_name_plural = _("plan settings")

    def __str__(self) -> str:
        return f"plan settings #{self.campaign_id}"


class RaciRole(models.TextChoices):
    R = "R", _("Responsible (R)")
    A = "A", _("Accountable (A)")
    C = "C", _("Consulted (C)")
    I = "I", _("Informed (I)")  # noqa: E741


class RaciAssignment(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="raci")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(_("role"), max_length=1, choices=RaciRole.choices)

    class Meta:
        ordering = ["task", "id"]
        constraints = [
            models.UniqueConstraint(fields=["task", "user"], name="uniq_raci_cell"),
            models.UniqueConstraint(fields=["task"], condition=models.Q(role="A"), name="one_accountable_per_task"),
        ]
        verbose_name = _("RACI assignment")
        verbose_name_plural = _("RACI matrix")

    def __str__(self) -> str:
        return f"{self.task_id}:{self.user_id}={self.role}"


class PeriodKind(models.TextChoices):
    WARMUP = "warmup", _("Warm-up (预热期)")
    BURST = "burst", _("Burst (爆发期)")
    EXTENSION = "extension", _("Extension (延续期)")


class CampaignPeriod(models.Model):
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="periods")
    kind = models.CharField(_("period"), max_length=20, choices=PeriodKind.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))

    class Meta:
        ordering = ["campaign", "start_date"]
        constraints = [models.UniqueConstraint(fields=["campaign", "kind"], name="uniq_campaign_period")]
        verbose_name = _("campaign period")
        verbose_name_plural = _("campaign periods")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start_date}~{self.end_date}"


class Baseline(models.Model):
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="baselines")
    name = models.CharField(_("name"), max_length=200)
    created_by = user_ref()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["campaign", "-created_at", "-id"]
        verbose_name = _("baseline")
        verbose_name_plural = _("baselines")

    def __str__(self) -> str:
        return self.name


class BaselineItem(models.Model):
    baseline = models.ForeignKey(Baseline, on_delete=models.CASCADE, related_name="items")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="baseline_items")
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["baseline", "task"], name="uniq_baseline_task")]

    def __str__(self) -> str:
        return f"{self.baseline_id}:{self.task_id}"


class CalendarFeed(models.Model):
    """A personal iCalendar feed URL; the token is stored hashed and can be revoked."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"calendar feed #{self.pk} of user {self.user_id}"
