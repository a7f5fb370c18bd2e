"""Review: per-KPI evaluation notes (复盘/效果评估表), the retrospective (复盘报告)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from campaignflow.core.model_fields import user_ref
from campaignflow.core.models import VersionedModel


class EvaluationNote(VersionedModel):
    """What people write on one row of the evaluation table: cause analysis and improvement."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="evaluation_notes")
    kpi = models.OneToOneField("goals.Kpi", on_delete=models.CASCADE, related_name="evaluation_note")
    dimension = models.CharField(_("evaluation dimension"), max_length=100, blank=True)
    analysis = models.TextField(_("cause analysis"), blank=True)
    improvement = models.TextField(_("improvement"), blank=True)
    updated_by = user_ref()

    class Meta:
        ordering = ["campaign", "kpi"]
        verbose_name = _("evaluation note")
        verbose_name_plural = _("evaluation notes")

    def __str__(self) -> str:
        return f"{self.campaign_id} · {self.kpi_id}"


class Retrospective(VersionedModel):
    """The retrospective: what worked, what to improve, reusable assets, lessons."""

    campaign = models.OneToOneField("campaigns.Campaign", on_delete=models.CASCADE, related_name="retrospective")
    worked = models.TextField(_("what worked"), blank=True)
    improve = models.TextField(_("what to improve"), blank=True)
    lessons = models.TextField(_("lessons"), blank=True)
    assets = models.JSONField(_("reusable assets"), default=list, blank=True)  # [{title, url}]
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = user_ref()

    class Meta:
        verbose_name = _("retrospective")
        verbose_name_plural = _("retrospectives")

    def __str__(self) -> str:
        return f"{self.campaign_id}"
