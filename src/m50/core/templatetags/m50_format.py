"""Formatting filters available in every template (a builtin, see settings)."""

from django import template

from m50.core import formats

register = template.Library()


@register.filter
def money(amount, incoming=True):
    """``{{ invoice.total|money }}`` → ``€ 5.000,00``; ``{{ line.amount|money:line.credit }}``
    shows a debit line (credit False) as ``€ -1,90``."""
    return formats.money(amount, incoming=incoming is not False)
