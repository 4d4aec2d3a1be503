"""Data versions: a counter per part of the public data, raised by every write to it.

A page that shows only the registry, or the members, can then tell in one query whether
anything it shows may have changed (see :mod:`m50.core.conditional`). The writes are the
services of the apps; each calls :func:`data_version_bump` inside its own transaction, after
its other writes (so that locks are always taken in the same order: the data, then the
version row).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import NamedTuple

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from m50.core.models import DataVersion

#: Municipalities, provinces, population counts, boundary changes, networks and their lists.
REGISTRY = "registry"
#: Memberships and their decisions.
MEMBERS = "members"


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
