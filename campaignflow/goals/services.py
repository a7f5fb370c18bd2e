"""All writes of the goals app: KPIs, their decomposition, channels. Each write is audited."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import RestrictedError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from campaignflow.campaigns.gates import some_of
from campaignflow.campaigns.selectors import member_input
from campaignflow.core.audit import audit_record, delete_versioned, snapshot
from campaignflow.core.domain.numbers import NotANumber, format_cn, format_en, parse_number
from campaignflow.core.domain.text import clean_text
from campaignflow.core.errors import Conflict, InvalidInput
from campaignflow.core.field_errors import valid
from campaignflow.core.locking import update_versioned
from campaignflow.core.parsing import date_input
from campaignflow.core.unique_rows import create_unique

from . import selectors
from .domain import decompose
from .models import Channel, Direction, Granularity, Kpi, KpiPlan, Priority

MAX_TARGET = Decimal("1e16")
KPI_TEXT = ("specific", "measurable", "achievable", "relevant")
# the short texts: (field, max length, required)
KPI_NAMES = (
    ("name", 200, True),
    ("metric", 100, False),
    ("numerator", 100, False),
    ("denominator", 100, False),
    ("unit", 20, False),
)
CHANNEL_TEXTS = (("name", 100, True), ("content_form", 200, False), ("note", 5000, False))


def _number(errors: dict, field: str, raw, *, required: bool = True, allow_zero: bool = True):
    if raw is None or raw == "":
        if required:
            errors[field] = _("This field is required.")
        return None
    try:
        value = parse_number(raw)
    except (NotANumber, ValueError, TypeError):
        errors[field] = _("Not a number: %(value)s (e.g. 30万, 1,200, 35%%).") % {"value": str(raw)[:40]}
        return None
    if value < 0 or (value == 0 and not allow_zero):
        errors[field] = _("Must be greater than zero.") if not allow_zero else _("Must not be negative.")
        return None
    if value >= MAX_TARGET:
        zh = (get_language() or "zh-hans").startswith("zh")
        limit = format_cn(MAX_TARGET) if zh else format_en(MAX_TARGET)
        errors[field] = _("Too large: it must be less than %(limit)s.") % {"limit": limit}
        return None
    return value.quantize(Decimal("0.0001"))


def _text(errors: dict, data: dict, field: str, max_length: int, *, required: bool = False) -> str | None:
    if field not in data:
        return None
    value = clean_text(data.get(field) or "")
    if required and not value:
        errors[field] = _("This field is required.")
    elif len(value) > max_length:
        errors[field] = _("At most %(n)s characters.") % {"n": max_length}
    return value


def _texts(errors: dict, data: dict, out: dict, fields: tuple, *, partial: bool = True) -> None:
    """The text `fields` (name, max length, required) that `data` gives, cleaned into `out`; on a create
    (not `partial`), a required field that is absent is an error too."""
    for field, length, required in fields:
        value = _text(errors, data, field, length, required=required)
        if value is not None:
            out[field] = value
    for field, _length, required in fields:
        if required and not partial and field not in data:
            errors[field] = _("This field is required.")


def _owner_as_id(values: dict) -> None:
    """A cleaned `owner` (a member or None) as the column `update_versioned` writes."""
    if "owner" in values:
        owner = values.pop("owner")
        values["owner_id"] = owner.pk if owner else None


def _flag(out: dict, data: dict, field: str) -> None:
    """A yes/no field given as true/false (JSON) or "on"/"1"/"true" (forms); absent or null: unchanged."""
    if data.get(field) is not None:
        raw = data[field]
        out[field] = raw if isinstance(raw, bool) else str(raw).strip().lower() in ("1", "on", "true", "yes")


def _kpi_clean(campaign, data: dict, *, partial: bool, current: Kpi | None = None) -> dict:
    errors: dict[str, str] = {}
    out: dict = {}
    _texts(errors, data, out, KPI_NAMES, partial=partial)
    _texts(errors, data, out, tuple((field, 5000, False) for field in KPI_TEXT))
    if "target" in data or not partial:
        target = _number(errors, "target", data.get("target"))
        if target is not None:
            out["target"] = target
    if "priority" in data:
        if data["priority"] not in Priority.values:
            errors["priority"] = _("Choose core or auxiliary.")
        else:
            out["priority"] = data["priority"]
    if "direction" in data:
        if data["direction"] not in Direction.values:
            errors["direction"] = _("Choose up or down.")
        else:
            out["direction"] = data["direction"]
    if "owner" in data:
        out["owner"] = member_input(campaign, data.get("owner"), "owner", errors)
    if "deadline" in data:
        out["deadline"] = date_input(data.get("deadline"), "deadline", errors)
    _flag(out, data, "shared_with_partners")
    if "channel" in data:
        out["channel"] = _channel_input(campaign, data.get("channel"), errors)
    metric = out.get("metric", current.metric if current else "")
    numerator = out.get("numerator", current.numerator if current else "")
    denominator = out.get("denominator", current.denominator if current else "")
    if not errors:
        if bool(numerator) != bool(denominator):
            errors["denominator" if numerator else "numerator"] = _(
                "A ratio KPI names both a numerator and a denominator metric."
            )
        elif numerator and metric:
            errors["metric"] = _("A ratio KPI names a numerator and a denominator instead of a metric.")
        elif not numerator and not metric:
            errors["metric"] = _("Name the metric this KPI sums (or a numerator and a denominator).")
    return valid(out, errors)


def _channel_input(campaign, raw, errors: dict) -> Channel | None:
    """The campaign's channel a KPI is scoped to, by its name; blank or null: the whole campaign."""
    name = clean_text(raw) if isinstance(raw, str) else raw
    if name in (None, ""):
        return None
    channel = campaign.channels.filter(name=name).first() if isinstance(name, str) else None
    if channel is None:
        errors["channel"] = _("Not a channel of this campaign: %(name)s.") % {"name": str(name)[:100]}
    return channel


def _channel_as_id(values: dict) -> None:
    """A cleaned `channel` (a channel or None) as the column `update_versioned` writes."""
    if "channel" in values:
        channel = values.pop("channel")
        values["channel_id"] = channel.pk if channel else None


@transaction.atomic
def kpi_create(*, actor, campaign, data: dict) -> Kpi:
    values = _kpi_clean(campaign, data, partial=False)
    last = campaign.kpis.order_by("-position").values_list("position", flat=True).first()
    kpi = Kpi.objects.create(campaign=campaign, position=(last or 0) + 1, **values)
    audit_record(actor=actor, action="kpi.create", obj=kpi, after=snapshot(kpi), campaign=campaign)
    return kpi


@transaction.atomic
def kpi_update(*, actor, kpi: Kpi, version: int, data: dict) -> Kpi:
    before = snapshot(kpi)
    values = _kpi_clean(kpi.campaign, data, partial=True, current=kpi)
    _owner_as_id(values)
    _channel_as_id(values)
    update_versioned(kpi, expected_version=version, changes=values)
    audit_record(actor=actor, action="kpi.update", obj=kpi, before=before, after=snapshot(kpi), campaign=kpi.campaign)
    return kpi


@transaction.atomic
def kpi_delete(*, actor, kpi: Kpi, version: int) -> None:
    delete_versioned(actor=actor, obj=kpi, version=version, action="kpi.delete")


# --- decomposition -----------------------------------------------------------------------


def plan_buckets(kpi: Kpi, granularity: str) -> list[decompose.Bucket]:
    campaign = kpi.campaign
    if granularity == Granularity.CHANNEL:  # a KPI that counts one channel has that channel only
        channels = [kpi.channel] if kpi.channel_id else campaign.channels.all()
        return [decompose.Bucket(key=c.name, label=c.name, days=1) for c in channels]
    if granularity not in Granularity.values:
        raise InvalidInput({"granularity": _("Choose day, week, month or channel.")})
    return decompose.periods(campaign.start_date, campaign.end_date, granularity)


@transaction.atomic
def kpi_plan_generate(*, actor, kpi: Kpi, granularity: str, method: str = "even", weights=None) -> list[KpiPlan]:
    """Distribute the KPI's target over the periods (even: by days; weighted: by given weights) or
    over the campaign's channels (even, or weighted by their targets for this metric)."""
    buckets = plan_buckets(kpi, granularity)
    if not buckets:
        raise InvalidInput({"granularity": _("There is nothing to distribute over (no periods or channels).")})
    if method == "weighted":
        if weights is None and granularity == Granularity.CHANNEL:
            targets = {c.name: c.targets.get(kpi.metric) for c in kpi.campaign.channels.all()}
            weights = [targets.get(b.key) or 0 for b in buckets]
        errors: dict = {}
        parsed = [_number(errors, f"weights[{i}]", w) for i, w in enumerate(weights or [])]
        if errors:
            raise InvalidInput(errors)
        if len(parsed) != len(buckets):
            raise InvalidInput({"weights": _("Give one weight per period or channel (%(n)s).") % {"n": len(buckets)}})
        weight_values = parsed
    elif method == "even":
        weight_values = [Decimal(b.days) for b in buckets]
    else:
        raise InvalidInput({"method": _("Choose even or weighted.")})
    parts = decompose.distribute(kpi.target, weight_values)
    return _plan_write(actor, kpi, granularity, {b.key: v for b, v in zip(buckets, parts, strict=True)}, replace=True)


@transaction.atomic
def kpi_plan_save(*, actor, kpi: Kpi, granularity: str, values: dict) -> list[KpiPlan]:
    """Save edited plan values {period key or channel: value}; blank values remove a period's value."""
    buckets = {b.key for b in plan_buckets(kpi, granularity)}
    errors: dict = {}
    clean: dict[str, Decimal | None] = {}
    for key, raw in values.items():
        if key not in buckets:
            errors[f"values.{key}"] = _("Not a period or channel of this campaign.")
            continue
        clean[key] = _number(errors, f"values.{key}", raw, required=False)
    if errors:
        raise InvalidInput(errors)
    return _plan_write(actor, kpi, granularity, clean, replace=False)


def _plan_write(actor, kpi, granularity, values: dict, *, replace: bool) -> list[KpiPlan]:
    before = {p.key: p.value for p in kpi.plans.filter(granularity=granularity)}
    if replace:
        kpi.plans.filter(granularity=granularity).delete()
    else:
        kpi.plans.filter(granularity=granularity, key__in=list(values)).delete()
    KpiPlan.objects.bulk_create(
        [KpiPlan(kpi=kpi, granularity=granularity, key=k, value=v) for k, v in values.items() if v is not None]
    )
    plans = list(kpi.plans.filter(granularity=granularity))
    audit_record(
        actor=actor,
        action="kpi.plan",
        obj=kpi,
        before={"granularity": granularity, "values": before},
        after={"granularity": granularity, "values": {p.key: p.value for p in plans}},
        campaign=kpi.campaign,
    )
    return plans


# --- channels -----------------------------------------------------------------------------


def _metric_map(errors: dict, field: str, raw) -> dict | None:
    if raw in (None, ""):
        return {}
    if not isinstance(raw, dict):
        errors[field] = _("Give an object {metric: value}.")
        return None
    out = {}
    for name, value in list(raw.items())[:50]:
        name = str(name).strip()
        if not name or len(name) > 100:
            errors[f"{field}.{name[:20]}"] = _("Metric names have 1 to 100 characters.")
            continue
        number = _number(errors, f"{field}.{name}", value)
        if number is not None:
            out[name] = format(number.normalize(), "f")
    return out


def _channel_clean(campaign, data: dict, *, partial: bool) -> dict:
    errors: dict[str, str] = {}
    out: dict = {}
    _texts(errors, data, out, CHANNEL_TEXTS, partial=partial)
    for field in ("start_date", "end_date"):
        if field in data:
            out[field] = date_input(data.get(field), field, errors)
    if out.get("start_date") and out.get("end_date") and out["end_date"] < out["start_date"]:
        errors["end_date"] = _("The end is before the start.")
    if "owner" in data:
        out["owner"] = member_input(campaign, data.get("owner"), "owner", errors)
    _flag(out, data, "shared_with_partners")
    for field in ("targets", "benchmarks"):
        if field in data:
            value = _metric_map(errors, field, data.get(field))
            if value is not None:
                out[field] = value
    return valid(out, errors)


@transaction.atomic
def channel_create(*, actor, campaign, data: dict) -> Channel:
    values = _channel_clean(campaign, data, partial=False)
    exists = _("This campaign already has a channel with this name.")
    channel = create_unique(
        Channel,
        ("campaign", "name"),
        InvalidInput({"name": exists}),
        raced=Conflict(exists),
        campaign=campaign,
        **values,
    )
    audit_record(actor=actor, action="channel.create", obj=channel, after=snapshot(channel), campaign=campaign)
    return channel


@transaction.atomic
def channel_update(*, actor, channel: Channel, version: int, data: dict) -> Channel:
    before = snapshot(channel)
    values = _channel_clean(channel.campaign, data, partial=True)
    if values.get("name", channel.name) != channel.name:
        _refuse_rename(channel, values["name"])
    _owner_as_id(values)
    update_versioned(channel, expected_version=version, changes=values)
    audit_record(
        actor=actor,
        action="channel.update",
        obj=channel,
        before=before,
        after=snapshot(channel),
        campaign=channel.campaign,
    )
    return channel


def _refuse_rename(channel: Channel, name: str) -> None:
    """A channel takes another name while nothing names it yet (a typo mended before the first data): metric rows,
    budget lines and registration links find their channel by its text, and would be left behind."""
    if channel.campaign.channels.filter(name=name).exclude(pk=channel.pk).exists():
        raise InvalidInput({"name": _("This campaign already has a channel with this name.")})
    naming = selectors.data_naming_channel(channel)
    if naming:
        raise InvalidInput(
            {
                "name": _(
                    "The campaign's %(data)s name this channel “%(name)s”, and would be left behind by a new name: "
                    "add a channel under the new name instead."
                )
                % {"data": naming, "name": channel.name}
            }
        )


@transaction.atomic
def channel_delete(*, actor, channel: Channel, version: int) -> None:
    """Delete a channel of the reach matrix; refused (409) while a KPI is scoped to it: deleting it would
    silently turn that KPI into a whole-campaign one (the KPI's channel is a RESTRICT foreign key too)."""

    def counting() -> list[str]:  # the names of the KPIs scoped to it (enough to name some of them)
        return list(channel.kpis.order_by("position", "id").values_list("name", flat=True)[:11])

    used = counting()
    if not used:
        try:
            delete_versioned(actor=actor, obj=channel, version=version, action="channel.delete")
            return
        except RestrictedError:  # a KPI scoped to it since the look above
            used = counting()
    raise Conflict(
        _(
            "KPIs count only this channel's data: %(kpis)s. Scope them to another channel or to the whole campaign first."
        )
        % {"kpis": some_of(used, len(used))}
    )
