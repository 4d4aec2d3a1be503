from django import template

from m50.membership.models import body_phrase as _body_phrase

register = template.Library()


@register.filter
def body_phrase(body: str) -> str:
    """A deciding body as named in a sentence, with its article: "het college van B&W"."""
    return _body_phrase(body)
