"""Formatting filters available in every template (a builtin, see settings)."""

from django import template
from django.template.defaulttags import querystring

from m50.core import formats

register = template.Library()


@register.filter
def money(amount, incoming=True):
    """``{{ invoice.total|money }}`` → ``€ 5.000,00``; ``{{ line.amount|money:line.credit }}``
    shows a debit line (credit False) as ``€ -1,90``."""
    return formats.money(amount, incoming=incoming is not False)


@register.simple_tag(takes_context=True)
def page_query(context, parameter, number):
    """``{% querystring %}`` with the name of the page parameter in a variable, for a page
    with more than one paginated list: ``{% page_query "pagina-groei" 2 %}``."""
    return querystring(context, **{parameter: number})
