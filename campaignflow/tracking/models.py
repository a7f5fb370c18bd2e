"""Daily tracking: metric rows (day × channel × metric) and the import batches that wrote them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from campaignflow.core.model_fields import status_field, user_ref


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
    actor = user_ref(blank=False)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)
    source = models.CharField(_("source"), max_length=10, choices=BatchSource.choices)
    filename = models.CharField(_("file"), max_length=255, blank=True)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    status = status_field(BatchStatus, default=BatchStatus.APPLIED, max_length=10)
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = user_ref()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")

    def __str__(self) -> str:
        # as a history page names it: the file, else where the rows came from ("API", "grid"), and their count
        return f"{self.filename or self.get_source_display()} · {self.rows_total}"


class MetricRow(models.Model):
    """One value: campaign × date × channel × metric. Upserted; `batch` is the batch that last wrote it."""

    # The unique index below starts with campaign_id, so no separate FK indexes (faster bulk writes), and
    # no database FK constraints: checking two deferred constraints per row at commit doubled the time of
    # a million-row import on PostgreSQL (measured 5.3 s at commit). The rows are only written by the
    # ingestion service with the ids of the campaign and batch it holds; Django's collector still
    # cascades a campaign's deletion and nulls a deleted batch (docs/adr/0003-metric-storage.md).
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    date = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=100, blank=True)
    metric = models.CharField(_("metric"), max_length=100)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4)
    batch = models.ForeignKey(
        ImportBatch, null=True, on_delete=models.SET_NULL, related_name="+", db_index=False, db_constraint=False
    )

    class Meta:
        ordering = ["date", "channel", "metric"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "date", "channel", "metric"], name="tracking_metricrow_key")
        ]
        # Covering index for reads by metric and channel: the board's per-channel trend seeks each drawn
        # channel's date range (8 × 357 entries instead of scanning a metric's 35,700 at 1,000,000 rows:
        # 12 ms → 1 ms), and the rollups' per-channel GROUP BY reads it in order.
        indexes = [
            models.Index(fields=["campaign", "metric", "channel", "date", "value"], name="tracking_metric_channel")
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


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    PARSING = "parsing", _("Reading the file")
    VALIDATING = "validating", _("Checking rows")
    WRITING = "writing", _("Writing")
    IMPORTING = "importing", _("Reading and writing")  # a first import on SQLite: both at once (ADR 0021)
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ImportJob(models.Model):
    """A large metric upload parsed and written by the background worker; the page polls its progress.

    The file's bytes stay in `data` until the job ends (a database column, so a worker on another host
    can read it). All-or-nothing as for small files: a bad row fails the job and writes nothing.
    """

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="import_jobs")
    actor = user_ref(blank=False)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    filename = models.CharField(_("file"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    data = models.BinaryField(null=True, blank=True, editable=False)
    status = status_field(JobStatus, default=JobStatus.QUEUED, max_length=12)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    # the file's columns the import does not read (header texts, file order): the page and the API name them
    ignored_columns = models.JSONField(_("columns not read"), default=list, blank=True)
    message = models.TextField(_("message"), blank=True)
    batch = models.ForeignKey(ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self) -> str:
        return f"job #{self.pk} {self.status} {self.rows_done}/{self.rows_total}"

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def percent(self) -> int:
        """Overall progress: reading and checking the rows is the first 60 %, writing the rest; when both go on
        at once (importing), the rows written of the rows the file is estimated to hold, short of 100 until done."""
        if self.status == JobStatus.DONE:
            return 100
        if not self.rows_total:
            return 0
        share = min(1.0, self.rows_done / self.rows_total)
        if self.status == JobStatus.IMPORTING:
            return min(99, int(100 * share))
        if self.status == JobStatus.WRITING:
            return int(60 + 40 * share)
        return int(60 * share)


def total_key(per: str) -> list[models.UniqueConstraint]:
    """A MetricTotal's unique key: campaign × metric × the field it is per (named tracking_<model>_key)."""
    return [models.UniqueConstraint(fields=["campaign", "metric", per], name="%(app_label)s_%(class)s_key")]


class MetricTotal(models.Model):
    """Pre-aggregated: one metric's sum over the campaign's rows of one day (MetricDayTotal) or one channel
    (MetricChannelTotal). Kept in step with MetricRow by `tracking.rollups.refresh` inside every write
    transaction, so the board reads a few hundred rows instead of aggregating millions."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+", db_index=False)
    metric = models.CharField(max_length=100)
    total = models.DecimalField(max_digits=24, decimal_places=4)
    row_count = models.PositiveIntegerField(default=0)
    per = ""  # the field the model adds, the sum's key: "date" or "channel"

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{getattr(self, self.per)} {self.metric}={self.total}"


class MetricDayTotal(MetricTotal):
    """One metric's sum over all channels on one day."""

    date = models.DateField()
    per = "date"

    class Meta:
        constraints = total_key("date")
        verbose_name = _("daily metric total")
        verbose_name_plural = _("daily metric totals")


class MetricChannelTotal(MetricTotal):
    """One metric's sum over the whole campaign in one channel."""

    channel = models.CharField(max_length=100, blank=True)
    per = "channel"

    class Meta:
        constraints = total_key("channel")
        verbose_name = _("channel metric total")
        verbose_name_plural = _("channel metric totals")


class DateText(models.Func):
    """A date column as ISO text, formatted by the database (SQLite stores it so already; the cast keeps
    the driver from parsing the declared date type into a date object)."""

    output_field = models.CharField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="CAST(%(expressions)s AS TEXT)", **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="to_char(%(expressions)s, 'YYYY-MM-DD')", **extra)


class DecimalText(models.Func):
    """A metric value as text with its 4 decimals (as the API has always shown it: "5832.0000"),
    formatted by the database instead of a Decimal made per row in Python."""

    output_field = models.CharField()

    def as_sqlite(self, compiler, connection, **extra):
        # the format travels as a parameter: a literal "%" in the SQL breaks Django's query logging
        sql, params = self.as_sql(compiler, connection, template="printf(%%s, %(expressions)s)", **extra)
        return sql, ("%.4f", *params)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="(%(expressions)s)::text", **extra)
