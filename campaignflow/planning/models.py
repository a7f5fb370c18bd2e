"""The campaign plan: tasks (WBS phase → module → task)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from campaignflow.core.models import VersionedModel


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DELAYED = "delayed", _("Delayed")
    BLOCKED = "blocked", _("Blocked")


class Task(VersionedModel):
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="tasks")
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    phase = models.CharField(_("phase"), max_length=200, blank=True)
    module = models.CharField(_("module"), max_length=200, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
        verbose_name=_("owner"),
    )
    owner_role = models.CharField(_("owner role"), max_length=200, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED)
    progress = models.PositiveSmallIntegerField(_("progress %"), default=0)
    milestone = models.BooleanField(_("milestone"), default=False)
    deliverable = models.CharField(_("deliverable"), max_length=500, blank=True)
    acceptance = models.CharField(_("acceptance criterion"), max_length=500, blank=True)
    delay_reason = models.CharField(_("delay reason"), max_length=500, blank=True)
    remark = models.CharField(_("remark"), max_length=500, blank=True)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["campaign", "sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "code"], name="uniq_task_code")]
        indexes = [models.Index(fields=["campaign", "end_date"]), models.Index(fields=["owner", "status"])]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
