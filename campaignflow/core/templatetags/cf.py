"""Template filters: money and numbers formatted for the active language."""

from django import template
from django.utils.translation import get_language

from campaignflow.core.domain.numbers import format_cn, format_en, format_money

register = template.Library()


@register.filter
def money(value):
    return format_money(value, get_language() or "zh-hans")


@register.filter
def number(value):
    if value is None:
        return "—"
    if (get_language() or "").startswith("zh"):
        return format_cn(value)
    return format_en(value)


@register.filter
def percent(value, places: int = 0):
    if value is None:
        return "—"
    return f"{float(value) * 100:.{int(places)}f}%"


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
