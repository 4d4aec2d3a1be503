"""Activities in the platform's search index (:mod:`m50.core.search`): one entry per activity,
written by the services in the write's own transaction, all of them for
``m50 rebuild-search-index``.

Who finds an activity follows its page: *iedereen* everyone, *alle deelnemers van leden* every
logged-in user; the narrower audiences (a pillar or group, *alleen bestuurders*, *op
uitnodiging*) only whom ``rules.visible_q`` lets see it. One for a pillar or group is not the
index's BODY level: besides its participants, the chair of an organising body and whoever holds
a registration (also outside the pillar, registered by the bureau) see its page, so they find it
too. A cancelled activity stays findable, its title marked "(geannuleerd)", as its page stays.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from m50.activities import rules
from m50.activities.models import Activity, Audience
from m50.core.search import index
from m50.core.search.access import Access

SEARCH_KIND = "activiteit"

#: The index's level of an audience; the narrower ones (RESTRICTED) follow the activities' own
#: rule, ``rules.visible_q``, as the page does.
SEARCH_ACCESS = {
    Audience.PUBLIC: Access.PUBLIC,
    Audience.MEMBERS: Access.NETWORK,
}


def _activities() -> QuerySet[Activity]:
    return Activity.objects.select_related(
        "organiser_pillar",
        "organiser_theme_group__pillar",
        "host_municipality",
    ).prefetch_related("themes")


def entry_data(activity: Activity) -> index.EntryData:
    """What the index holds of ``activity``: title, description, and as body its place, host
    municipality and organiser."""
    organiser = activity.organiser
    pillar = activity.organiser_pillar or (
        activity.organiser_theme_group.pillar if activity.organiser_theme_group_id else None
    )
    host = activity.host_municipality
    body = "\n".join(
        part for part in (activity.address, host.name if host else "", str(organiser or "")) if part
    )
    day = timezone.localtime(activity.starts_at, timezone.get_default_timezone()).date()
    title = activity.title
    if activity.is_cancelled:
        title = _("%(title)s (geannuleerd)") % {"title": title}
    access = SEARCH_ACCESS.get(activity.audience, Access.RESTRICTED)
    return index.EntryData(
        kind=SEARCH_KIND,
        object_id=activity.pk,
        title=title,
        summary=activity.description,
        body=body,
        url=reverse("activities:detail", args=[activity.pk]),
        access=access,
        date=day,
        facets={
            "kind": [activity.kind],
            "theme": sorted(theme.slug for theme in activity.themes.all()),
            "pillar": [pillar.slug] if pillar else [],
            "year": [str(day.year)],
            "municipality": [host.code] if host else [],
        },
    )


def activity_index(activity: Activity) -> None:
    """Put ``activity`` in the index as it is now (read afresh with its relations)."""
    data = entry_data(_activities().get(pk=activity.pk))
    index.entry_put(**{name: getattr(data, name) for name in data.__dataclass_fields__})


def entries() -> Iterator[index.EntryData]:
    """Every activity's entry, in a fixed number of queries."""
    for activity in _activities().order_by("pk").iterator(chunk_size=index.BATCH):
        yield entry_data(activity)


def visible_ids(user) -> QuerySet:
    """The ids of the activities ``user`` may see: a subquery, no query of its own."""
    return Activity.objects.filter(rules.visible_q(user)).values("pk")
