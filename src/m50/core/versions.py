"""Data versions: a counter per part of the public data, raised by every write to it.

A page that shows only the registry, or the members, can then tell in one query whether
anything it shows may have changed (see :mod:`m50.core.conditional`). The writes are the
services of the apps; each calls :func:`data_version_bump` inside its own transaction, after
its other writes (so that locks are always taken in the same order: the data, then the
version row).
"""

from __future__ import annotations

import datetime
import functools
import hashlib
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple, TypeVar

from django.core.cache import caches
from django.core.paginator import Paginator
from django.db import IntegrityError, connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.functional import cached_property

from m50.core.models import DataVersion

#: Municipalities, provinces, population counts, boundary changes, networks and their lists.
REGISTRY = "registry"
#: Memberships and their decisions.
MEMBERS = "members"
#: Invoices, payments, bank statements, reminders, fees and invoice details.
FINANCE = "finance"
#: Activities, their registrations, attendance and documents.
ACTIVITIES = "activities"
#: Knowledge items of the library, their documents and their status.
KNOWLEDGE = "knowledge"
#: The Tweede Kamer's records synced from its open data (members, fracties, motions, votes).
TWEEDE_KAMER = "tweedekamer"

#: The per-process caches of what is kept per data version: rendered public pages
#: (:mod:`m50.core.conditional`) and figures (:class:`VersionedFigures`).
PAGE_CACHE = "pages"
FIGURE_CACHE = "figures"

Function = TypeVar("Function", bound=Callable[..., Any])


class Version(NamedTuple):
    version: int
    changed_at: datetime.datetime | None


NO_VERSION = Version(0, None)


def data_version_bump(*, names: Iterable[str]) -> None:
    """Raise the version of each of ``names``, as part of the caller's transaction.

    Not atomic of its own (a savepoint would cost two queries per write): called outside a
    transaction the version goes up at once, which is only right after a write that is
    committed already. The row is made by the first write to a name.
    """
    now = timezone.now()
    for name in sorted(set(names)):  # one order for every writer: no deadlock between two
        bumped = DataVersion.objects.filter(name=name).update(
            version=F("version") + 1, changed_at=now
        )
        if bumped:
            continue
        try:
            with transaction.atomic():
                DataVersion.objects.create(name=name, version=1, changed_at=now)
        except IntegrityError:  # another writer made the row meanwhile
            DataVersion.objects.filter(name=name).update(version=F("version") + 1, changed_at=now)


def data_versions(names: Iterable[str]) -> dict[str, Version]:
    """The current version of each of ``names``, in one query (``NO_VERSION`` if never written)."""
    names = sorted(set(names))
    found = {
        name: Version(version, changed_at)
        for name, version, changed_at in DataVersion.objects.filter(name__in=names).values_list(
            "name", "version", "changed_at"
        )
    }
    return {name: found.get(name, NO_VERSION) for name in names}


def changes(*names: str) -> Callable[[Function], Function]:
    """Makes a service atomic and raises the versions of ``names`` as its last write.

    For services whose every successful call changes that data: the version row is then
    always locked after the data (see the module's note on lock order)."""

    def decorate(function: Function) -> Function:
        @functools.wraps(function)
        def wrapped(*args, **kwargs):
            with transaction.atomic():
                result = function(*args, **kwargs)
                data_version_bump(names=names)
            return result

        return wrapped  # type: ignore[return-value]

    return decorate


class VersionedFigures:
    """Figures over whole tables (counts, totals) computed once per version of the data they
    read, and kept in this process's cache: a list of 12,000 invoices then costs what one of
    2,000 does. The versions are read once, in one query, on first use.

    A figure's key must say everything it depends on besides those versions; for a queryset
    that is its SQL with parameters (which hold the date where a status depends on it, and the
    scope of the user's access), so a figure is never shared between different questions.
    """

    def __init__(self, names: Iterable[str]):
        self.names = tuple(sorted(set(names)))
        self._stamp: str | None = None

    def stamp(self) -> str:
        if self._stamp is None:
            parts = [str(connection.settings_dict["NAME"])]
            for name, version in data_versions(self.names).items():
                changed = version.changed_at.isoformat() if version.changed_at else ""
                parts.append(f"{name}={version.version}@{changed}")
            self._stamp = ";".join(parts)
        return self._stamp

    def get(self, key: str, compute: Callable[[], Any]) -> Any:
        digest = hashlib.sha256(f"{self.stamp()}|{key}".encode()).hexdigest()
        cache_key = f"figures:{digest}"
        cache = caches[FIGURE_CACHE]
        value = cache.get(cache_key)
        if value is None:
            value = compute()
            cache.set(cache_key, value)
        return value

    def count(self, queryset) -> int:
        return self.get("count:" + query_key(queryset), queryset.count)

    def paginator(self, object_list, per_page: int) -> Paginator:
        """A paginator whose count is one of these figures: of a queryset, or of a lazy list
        that names the queryset it counts (``counted``); a list is counted as it is."""
        figures = self

        class CountedPaginator(Paginator):
            @cached_property
            def count(self) -> int:
                if isinstance(self.object_list, QuerySet):
                    return figures.count(self.object_list)
                counted = getattr(self.object_list, "counted", None)
                if isinstance(counted, QuerySet):
                    return figures.count(counted)
                return super().count

        return CountedPaginator(object_list, per_page)

    def aggregate(self, queryset, **aggregates) -> dict:
        key = "aggregate:" + query_key(queryset) + repr(sorted(aggregates.items()))
        return self.get(key, lambda: queryset.aggregate(**aggregates))


def query_key(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    return repr((sql, params))
