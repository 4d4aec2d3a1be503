"""What the pillars services share: field lists and how a pillar or group is named."""

from __future__ import annotations

from django.utils.translation import gettext as _

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
