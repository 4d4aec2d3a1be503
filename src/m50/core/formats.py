"""Writing money and dates the one way of the platform: ``€ 5.000,00``, ``2 december 2026``
(DESIGN.md §5)."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.utils.formats import date_format, number_format

CENT = Decimal("0.01")


def money(amount, *, incoming: bool = True) -> str:
    """``Decimal("5000")`` as ``€ 5.000,00``, ``-5000`` as ``€ -5.000,00``; "" for None.

    Grouping and decimal sign follow the active language (Dutch: ``5.000,00``). ``incoming``
    False shows an amount that went out (a debit bank line, stored positive) as negative.
    """
    if amount is None or amount == "":
        return ""
    try:
        value = Decimal(str(amount)).quantize(CENT)
    except (InvalidOperation, ValueError):
        return ""
    if not incoming:
        value = -value
    digits = number_format(abs(value), decimal_pos=2, use_l10n=True, force_grouping=True)
    return f"€ {'-' if value < 0 else ''}{digits}"


def long_date(value: datetime.date) -> str:
    """A date the one way of the platform in text: ``2 december 2026`` (month in the active
    language, in this order also in English)."""
    return date_format(value, "j F Y")
