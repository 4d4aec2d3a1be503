"""Who may see an index entry: its access level, and the viewer the caller describes.

The condition is a ``Q`` over :class:`m50.core.models.SearchEntry`, compiled into the same SQL as
the match, so an entry the viewer may not see counts in no total and no facet.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet, TextChoices
from django.utils.translation import gettext_lazy as _

BUREAU_ROLE = "bureau"
PUBLIC_AFFAIRS_ROLE = "public_affairs"


class Access(TextChoices):
    PUBLIC = "public", _("openbaar")
    NETWORK = "network", _("netwerk")
    BODY = "body", _("pijler of themagroep")
    BUREAU = "bureau", _("bureau")
    CONFIDENTIAL = "confidential", _("vertrouwelijk")
    # The kind's own rule: visible only when the caller passes a subquery of the ids it allows.
    RESTRICTED = "restricted", _("eigen regel")


@dataclass(frozen=True)
class Viewer:
    """Who searches; the caller builds it from the user. Roles: "bureau", "public_affairs",
    "pillar_chair", "member_contact", "participant". A role counts only when logged in."""

    authenticated: bool
    role: str | None = None
    pillar_ids: frozenset[int] = field(default_factory=frozenset)
    group_ids: frozenset[int] = field(default_factory=frozenset)

    @classmethod
    def anonymous(cls) -> Viewer:
        return cls(authenticated=False)


def _levels(viewer: Viewer) -> list[str]:
    if not viewer.authenticated:
        return [Access.PUBLIC]
    if viewer.role == BUREAU_ROLE:
        return [Access.PUBLIC, Access.NETWORK, Access.BODY, Access.BUREAU, Access.CONFIDENTIAL]
    if viewer.role == PUBLIC_AFFAIRS_ROLE:
        # Public affairs reads everything but what is the bureau's alone.
        return [Access.PUBLIC, Access.NETWORK, Access.BODY, Access.CONFIDENTIAL]
    return [Access.PUBLIC, Access.NETWORK]


def _ids(subquery: QuerySet) -> QuerySet:
    # A queryset of objects is narrowed to its primary keys; one of values already is a column.
    return subquery if subquery._fields else subquery.values("pk")


def visible_q(viewer: Viewer, restricted: Mapping[str, QuerySet] | None = None) -> Q:
    """The entries ``viewer`` may see, for the ORM (fields of ``SearchEntry``)."""
    condition = Q(access__in=_levels(viewer))
    if viewer.authenticated and viewer.role not in (BUREAU_ROLE, PUBLIC_AFFAIRS_ROLE):
        body = Q()
        if viewer.pillar_ids:
            body |= Q(pillar_id__in=sorted(viewer.pillar_ids))
        if viewer.group_ids:
            body |= Q(group_id__in=sorted(viewer.group_ids))
        if body:
            condition |= Q(access=Access.BODY) & body
    for kind, subquery in sorted((restricted or {}).items()):
        condition |= Q(access=Access.RESTRICTED, kind=kind, object_id__in=_ids(subquery))
    return condition
