"""What the pillars services share: field lists and how a pillar or group is named."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from m50.core.models import Theme
from m50.pillars.models import Pillar

BODY_FIELDS = ("name", "purpose", "started_on")
PARTICIPATION_FIELDS = ("role", "category", "start_date", "end_date", "end_reason")
TOPIC_FIELDS = ("title", "description", "owner")
SLUG_MAX_LENGTH = Pillar._meta.get_field("slug").max_length
# Path segments the pages of pillars and groups will use; a slug must not take them.
RESERVED_SLUGS = frozenset(
    {"nieuw", "matrix", "deelnames", "onderwerpen", "themagroepen", "deelname", "aanmeldingen"}
)


def _values(obj, fields) -> dict:
    return {name: getattr(obj, name) for name in fields}


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _body_kind(body) -> str:
    return "pillar" if isinstance(body, Pillar) else "theme_group"


def _body_phrase(body) -> str:
    if isinstance(body, Pillar):
        return _("pijler %(name)s") % {"name": body.name}
    return _("themagroep %(name)s") % {"name": body.name}


def themes_clean(*, themes, current=()) -> list[Theme]:
    """``themes`` (the shared list's, DESIGN.md §5) without doubles, in the list's order; an
    inactive theme only if it is among ``current`` (kept, not newly chosen). Refuses with a
    Dutch message on ``themes`` that names the theme."""
    current_ids = {theme.pk for theme in current}
    chosen = sorted({theme.pk: theme for theme in themes}.values(), key=_theme_order)
    retired = [theme for theme in chosen if not theme.active and theme.pk not in current_ids]
    if retired:
        raise ValidationError(
            {
                "themes": _("Het thema %(name)s is niet meer in gebruik; kies een ander.")
                % {"name": retired[0].name}
            },
            code="theme_inactive",
        )
    return chosen


def theme_names(themes) -> list[str]:
    """How the audit trail names themes: their names, in the list's order."""
    return [theme.name for theme in sorted(themes, key=_theme_order)]


def _theme_order(theme: Theme) -> tuple:
    return (theme.position, theme.name)
