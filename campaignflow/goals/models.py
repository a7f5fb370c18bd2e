"""Goals: quantified KPIs (SMART), their decomposition by period/channel, and the channel reach matrix."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from campaignflow.core.model_fields import user_ref
from campaignflow.core.models import VersionedModel


class Priority(models.TextChoices):
    CORE = "core", _("Core")
    AUXILIARY = "auxiliary", _("Auxiliary")


class Direction(models.TextChoices):
    UP = "up", _("Higher is better")
    DOWN = "down", _("Lower is better")


class Granularity(models.TextChoices):
    DAY = "day", _("Day")
    WEEK = "week", _("Week")
    MONTH = "month", _("Month")
    CHANNEL = "channel", _("Channel")


class Kpi(VersionedModel):
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="kpis")
    name = models.CharField(_("name"), max_length=200)
    # A base KPI sums one metric; a ratio KPI (rate, ROI) divides the sums of two metrics.
    metric = models.CharField(_("metric"), max_length=100, blank=True)
    numerator = models.CharField(_("numerator metric"), max_length=100, blank=True)
    denominator = models.CharField(_("denominator metric"), max_length=100, blank=True)
    # The channel of the reach matrix whose metric rows the KPI sums (blank: the whole campaign). Metric rows
    # name their channel as text, so the channel's current name is what is summed (a renamed channel's KPI
    # follows it). RESTRICT, not SET_NULL: deleting a channel a KPI uses would silently turn the KPI into a
    # whole-campaign one, so `services.channel_delete` refuses it (409) and the database does too; not PROTECT:
    # a campaign deleted with its KPIs and channels (one cascade) must still be deletable.
    channel = models.ForeignKey(
        "Channel",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="kpis",
        verbose_name=_("channel"),
    )
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    target = models.DecimalField(_("target"), max_digits=20, decimal_places=4)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.CORE)
    direction = models.CharField(_("direction"), max_length=4, choices=Direction.choices, default=Direction.UP)
    owner = user_ref()
    # SMART notes
    specific = models.TextField(_("specific"), blank=True)
    measurable = models.TextField(_("measurable"), blank=True)
    achievable = models.TextField(_("achievable"), blank=True)
    relevant = models.TextField(_("relevant"), blank=True)
    deadline = models.DateField(_("deadline (time-bound)"), null=True, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    shared_with_partners = models.BooleanField(
        _("shared with partners"), default=False, help_text=_("Partners see this KPI and its achievement.")
    )

    class Meta:
        ordering = ["campaign_id", "position", "id"]
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")

    def __str__(self) -> str:
        return self.name

    @property
    def channel_name(self) -> str | None:
        """The channel the KPI is scoped to (None: the whole campaign); select_related("channel") to read it."""
        return self.channel.name if self.channel_id else None

    @property
    def is_ratio(self) -> bool:
        return bool(self.numerator and self.denominator)

    @property
    def shows_percent(self) -> bool:
        """Rates (click rate, conversion rate) read as percentages; ratios with a unit (元/人) do not."""
        return self.is_ratio and self.unit in ("", "%")


class KpiPlan(models.Model):
    """One planned value of a KPI's decomposition: a period (starting date) or a channel."""

    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="plans")
    granularity = models.CharField(_("granularity"), max_length=10, choices=Granularity.choices)
    key = models.CharField(_("period start or channel"), max_length=100)
    value = models.DecimalField(_("planned value"), max_digits=20, decimal_places=4)

    class Meta:
        ordering = ["kpi_id", "granularity", "key"]
        constraints = [models.UniqueConstraint(fields=["kpi", "granularity", "key"], name="goals_kpiplan_unique")]
        verbose_name = _("KPI plan value")
        verbose_name_plural = _("KPI plan values")

    def __str__(self) -> str:
        return f"{self.kpi_id} {self.granularity} {self.key} = {self.value}"


class Channel(VersionedModel):
    """One row of the channel reach matrix (渠道触达矩阵)."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="channels")
    name = models.CharField(_("name"), max_length=100)
    content_form = models.CharField(_("content form"), max_length=200, blank=True)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    owner = user_ref()
    targets = models.JSONField(_("targets per metric"), default=dict, blank=True)
    benchmarks = models.JSONField(_("benchmarks per metric"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    shared_with_partners = models.BooleanField(
        _("shared with partners"), default=False, help_text=_("Partners see this channel's data.")
    )

    class Meta:
        ordering = ["campaign_id", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "name"], name="goals_channel_unique_name")]
        verbose_name = _("channel")
        verbose_name_plural = _("channels")

    def __str__(self) -> str:
        return self.name
