"""Numbers as people type them (1,200 / 1.2万 / 3亿 / 35% / ¥500,000) and as they read them, pure."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

_UNITS = {"万": Decimal(10_000), "亿": Decimal(100_000_000), "w": Decimal(10_000), "W": Decimal(10_000)}
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－％", "0123456789.,-%")
_NUMBER = re.compile(r"^([+-]?\d+(?:\.\d+)?)(万|亿|w|W|%)?$")


class NotANumber(ValueError):
    pass


def parse_number(text, *, allow_percent: bool = True) -> Decimal:
    """Parse a typed number. "1.2万" → 12000, "35%" → 0.35, "1,200" → 1200, "¥3亿" → 300000000."""
    if isinstance(text, Decimal):
        value = text
    elif isinstance(text, (int, float)) and not isinstance(text, bool):
        value = Decimal(str(text))
    else:
        raw = str(text or "").translate(_FULLWIDTH).strip()
        raw = raw.replace(",", "").replace(" ", "").lstrip("¥￥").removesuffix("元")
        match = _NUMBER.match(raw)
        if not match:
            raise NotANumber(text)
        number, unit = match.groups()
        try:
            value = Decimal(number)
        except InvalidOperation:
            raise NotANumber(text) from None
        if unit == "%":
            if not allow_percent:
                raise NotANumber(text)
            value = value / 100
        elif unit:
            value = value * _UNITS[unit]
    if not value.is_finite():
        raise NotANumber(text)
    return value


def _trim(value: Decimal, places: int) -> str:
    text = f"{value:,.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_cn(value: Decimal | int | float | None, places: int = 2) -> str:
    """Chinese reading: 350000 → "35万", 120000000 → "1.2亿", 3800 → "3,800"."""
    if value is None:
        return "—"
    value = Decimal(str(value))
    magnitude = abs(value)
    if magnitude >= 100_000_000:
        return _trim(value / 100_000_000, places) + "亿"
    if magnitude >= 10_000:
        return _trim(value / 10_000, places) + "万"
    if magnitude >= 100:
        return _trim(value, 0)  # 9,677 rather than 9,677.42: decimals add noise at this size
    return _trim(value, places)


def format_en(value: Decimal | int | float | None, places: int = 2) -> str:
    """English reading with thousands separators: 5000000.0000 → "5,000,000", 54347.826 → "54,348",
    0.3512 → "0.35" (stored precision is not display precision)."""
    if value is None:
        return "—"
    value = Decimal(str(value))
    return _trim(value, 0 if abs(value) >= 100 else places)


def format_money(value, lang: str = "zh-hans", currency: str = "¥") -> str:
    if value is None:
        return "—"
    if lang.startswith("zh"):
        return currency + format_cn(value)
    return f"{currency}{Decimal(str(value)):,.2f}"


_RATE_WORD = re.compile(r"\b(rate|ctr|cvr)\b", re.IGNORECASE)


def is_rate_metric(name: str) -> bool:
    """点击率, 转化率, 互动率, click rate, CTR…: stored as fractions (2.5% → 0.025), read as percentages."""
    name = (name or "").strip()
    return name.endswith("率") or bool(_RATE_WORD.search(name))


CENT = Decimal("0.01")
MAX_MONEY = Decimal("999999999999.99")  # DecimalField(max_digits=14, decimal_places=2)


class MoneyError(ValueError):
    """A message for the field (the caller names the field)."""


def parse_money(value, *, allow_zero: bool = True) -> Decimal:
    """12000 / "1.2万" / "12,000.00" / "¥5000" → Decimal with 2 places; never float arithmetic."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise MoneyError("required")
    if isinstance(value, bool):
        raise MoneyError("not a number")
    try:
        amount = parse_number(value, allow_percent=False)
    except NotANumber:
        raise MoneyError("not a number") from None
    if amount < 0:
        raise MoneyError("must not be negative")
    if amount == 0 and not allow_zero:
        raise MoneyError("must be greater than zero")
    if amount > MAX_MONEY:  # before quantize: 1e30 or 40 digits exceed its 28-digit context (InvalidOperation)
        raise MoneyError("too large")
    if amount != amount.quantize(CENT, rounding=ROUND_HALF_UP):
        raise MoneyError("at most 2 decimal places")
    return amount.quantize(CENT)


def without_trailing_zeros(value: Decimal | None) -> Decimal | None:
    """350000.0000 → 350000, 0.0400 → 0.04: the same figure whichever database summed it (PostgreSQL keeps
    the column's scale in a SUM, SQLite does not), never in exponent form."""
    if value is None or not value.is_finite():
        return value
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()
