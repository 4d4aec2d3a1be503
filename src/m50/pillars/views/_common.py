"""What the pillars pages share: names of forms and anchors, a pillar's or group's
address and end, and how counts per category read."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from m50.core.formats import long_date
from m50.pillars import selectors
from m50.pillars.models import (
    Category,
    Pillar,
    ThemeGroup,
    TopicStatus,
)

ORIGIN = "webformulier"
MATRIX_PAGE_SIZE = 50
PAGE_PARAMETER = "pagina"
PARTICIPATION_ANCHOR = "pijlers"

STATUS_HEADINGS = {
    TopicStatus.PROPOSED: gettext_lazy("Voorgesteld"),
    TopicStatus.ADOPTED: gettext_lazy("Aangenomen"),
    TopicStatus.PARKED: gettext_lazy("Geparkeerd"),
    TopicStatus.CLOSED: gettext_lazy("Afgesloten"),
}
ACTION_LABELS = {
    "pillar.create": gettext_lazy("aangemaakt"),
    "theme_group.create": gettext_lazy("aangemaakt"),
    "pillar.succession_add": gettext_lazy("opvolger vastgelegd"),
    "pillar.succession_remove": gettext_lazy("opvolger geschrapt"),
    "pillar.update": gettext_lazy("omschrijving gewijzigd"),
    "theme_group.update": gettext_lazy("omschrijving gewijzigd"),
    "pillar.end": gettext_lazy("beëindigd"),
    "theme_group.end": gettext_lazy("beëindigd"),
    "participation.register": gettext_lazy("deelname geregistreerd"),
    "participation.end": gettext_lazy("deelname beëindigd"),
    "participation.cancel": gettext_lazy("deelname geschrapt"),
    "participation.role_change": gettext_lazy("rol gewijzigd"),
    "participation_request.create": gettext_lazy("aanmelding ingediend"),
    "participation_request.accepted": gettext_lazy("aanmelding geaccepteerd"),
    "participation_request.refused": gettext_lazy("aanmelding afgewezen"),
    "participation_request.withdrawn": gettext_lazy("aanmelding ingetrokken"),
    "topic.propose": gettext_lazy("onderwerp voorgesteld"),
    "topic.update": gettext_lazy("onderwerp gewijzigd"),
    "topic.status_change": gettext_lazy("status van onderwerp gewijzigd"),
}


def _bound(request):
    return request.POST if request.method == "POST" else None


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


def _is_pillar(body) -> bool:
    return isinstance(body, Pillar)


def body_url(body, name: str = "detail") -> str:
    """The address of ``body``'s page (``name`` "detail") or one of its forms ("edit",
    "topic_propose", "join")."""
    if _is_pillar(body):
        return reverse(f"pillars:{name}", kwargs={"pillar": body.slug})
    return reverse(f"pillars:group_{name}", kwargs={"group": body.slug})


def _body(pillar: str | None = None, group: str | None = None) -> Pillar | ThemeGroup:
    try:
        if group is not None:
            return selectors.theme_group_detail(slug=group)
        return selectors.pillar_detail(slug=pillar)
    except (Pillar.DoesNotExist, ThemeGroup.DoesNotExist) as exc:
        raise Http404 from exc


def _end_text(body) -> str:
    """When a pillar or group ended: its date, or that the date is unknown (never invented)."""
    if not body.ended:
        return ""
    if body.ended_on is None:
        return _("beëindigd, datum onbekend")
    return _("beëindigd op %(date)s") % {"date": long_date(body.ended_on)}


def _chair_key(body) -> tuple[str, int]:
    return ("pillar" if _is_pillar(body) else "theme_group", body.pk)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _count_parts(counts: dict[str, int]) -> str:
    """``{"bestuurder": 2, "adviseur": 1}`` as "2 bestuurders, 1 adviseur" (categories in
    their order)."""
    words = {
        Category.ADMINISTRATOR: (_("bestuurder"), _("bestuurders")),
        Category.MUNICIPAL_SECRETARY: (_("gemeentesecretaris"), _("gemeentesecretarissen")),
        Category.ADVISOR: (_("adviseur"), _("adviseurs")),
    }
    return ", ".join(
        f"{counts[c]} {words[c][0] if counts[c] == 1 else words[c][1]}"
        for c in Category.values
        if counts.get(c)
    )
