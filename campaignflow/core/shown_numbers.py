"""Numbers and money as the active language writes them: 84.75万 / ¥8万 in Chinese, 847,485 / ¥80,000.00 in
English (core.domain.numbers does the writing; this picks the language, Chinese when none is active). The
`money` template filter, the history pages, alert messages and the metric import's messages all say figures so."""

from __future__ import annotations

from django.utils.translation import get_language

from .domain.numbers import format_cn, format_en, format_money


def _language() -> str:
    return get_language() or "zh-hans"


def number_shown(value) -> str:
    return format_cn(value) if _language().startswith("zh") else format_en(value)


def money_shown(value) -> str:
    return format_money(value, _language())
