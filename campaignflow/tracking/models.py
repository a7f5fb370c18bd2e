"""Daily tracking: metric rows (day × channel × metric) and the import batches that wrote them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BatchSource(models.TextChoices):
    API = "api", _("API")
    UPLOAD = "upload", _("File upload")
    GRID = "grid", _("Grid entry")
    DEMO = "demo", _("Demo data")


class BatchStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    UNDONE = "undone", _("Undone")


class ImportBatch(models.Model):
    """One write of metric rows (an upload, an API call, a grid save); it can be undone."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="import_batches")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("at"), auto_now_add=True)
    source = models.CharField(_("source"), max_length=10, choices=BatchSource.choices)
    filename = models.CharField(_("file"), max_length=255, blank=True)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.APPLIED)
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")

    def __str__(self) -> str:
        return f"#{self.pk} {self.source} {self.rows_total}"


class MetricRow(models.Model):
    """One value: campaign × date × channel × metric. Upserted; `batch` is the batch that last wrote it."""

    # The unique index below starts with campaign_id, so no separate FK indexes (faster bulk writes).
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+", db_index=False)
    date = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=100, blank=True)
    metric = models.CharField(_("metric"), max_length=100)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4)
    batch = models.ForeignKey(ImportBatch, null=True, on_delete=models.SET_NULL, related_name="+", db_index=False)

    class Meta:
        ordering = ["date", "channel", "metric"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "date", "channel", "metric"], name="tracking_metricrow_key")
        ]
        verbose_name = _("metric row")
        verbose_name_plural = _("metric rows")

    def __str__(self) -> str:
        return f"{self.date} {self.channel} {self.metric}={self.value}"


class BatchPrior(models.Model):
    """A row's value before a batch overwrote it, so the batch can be undone."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="priors")
    date = models.DateField()
    channel = models.CharField(max_length=100, blank=True)
    metric = models.CharField(max_length=100)
    value = models.DecimalField(max_digits=20, decimal_places=4)
    prior_batch = models.ForeignKey(
        ImportBatch, null=True, on_delete=models.SET_NULL, related_name="overwritten_by", db_index=True
    )

    class Meta:
        verbose_name = _("overwritten value")
        verbose_name_plural = _("overwritten values")

    def __str__(self) -> str:
        return f"{self.date} {self.channel} {self.metric}={self.value}"
