"""Pillars and theme groups, kept by the bureau, and the shipped pillars."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from m50.core.audit import audit_record, diff
from m50.core.formats import long_date
from m50.pillars import reference, search
from m50.pillars.models import (
    Participation,
    Pillar,
    PillarSuccession,
    ThemeGroup,
)
from m50.pillars.services._common import (
    BODY_FIELDS,
    RESERVED_SLUGS,
    SLUG_MAX_LENGTH,
    _body_kind,
    _body_phrase,
    _strip,
    _values,
)
from m50.pillars.services.participations import _end_or_cancel, _open_after

# --- Pillars and theme groups -----------------------------------------------------------------


def _unique_slug(model, text: str) -> str:
    base = slugify(text)[: SLUG_MAX_LENGTH - 4].strip("-") or "pijler"
    taken = set(model.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    taken |= RESERVED_SLUGS
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def _check_body_dates(started_on, ended_on) -> None:
    if started_on and ended_on and ended_on < started_on:
        raise ValidationError(
            {
                "ended_on": _("De einddatum (%(end)s) ligt vóór de begindatum (%(start)s).")
                % {"end": long_date(ended_on), "start": long_date(started_on)}
            }
        )


def _body_create(model, *, name, slug, purpose, started_on, actor, origin, **extra):
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Vul een naam in.")})
    if slug and model.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("Deze slug is al in gebruik.")})
    if slug in RESERVED_SLUGS:
        raise ValidationError({"slug": _("Deze slug is gereserveerd.")})
    body = model(
        name=name,
        slug=slug or _unique_slug(model, name),
        purpose=purpose.strip(),
        started_on=started_on,
        **extra,
    )
    body.full_clean()
    body.save()
    audit_record(
        action=f"{_body_kind(body)}.create",
        obj=body,
        actor=actor,
        origin=origin,
        changes=diff({}, _values(body, (*BODY_FIELDS, "slug", *extra))),
    )
    search.body_index(body)
    return body


def _body_update(body, *, actor, origin, changes: dict, allowed=BODY_FIELDS):
    unknown = set(changes) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    changes = {name: _strip(value) for name, value in changes.items()}
    if "name" in changes and not changes["name"]:
        raise ValidationError({"name": _("Vul een naam in.")})
    _check_body_dates(changes.get("started_on", body.started_on), body.ended_on)
    old = _values(body, allowed)
    for name, value in changes.items():
        setattr(body, name, value)
    body.full_clean()
    changed = diff(old, _values(body, allowed))
    if changed:
        body.save(update_fields=[name for name in allowed if name in changes])
        audit_record(
            action=f"{_body_kind(body)}.update",
            obj=body,
            actor=actor,
            origin=origin,
            changes=changed,
        )
        search.body_index(body)  # and the groups and topics whose text names it
    return body


def _body_end(body, *, ended_on: datetime.date, actor, origin):
    """End a pillar or group on ``ended_on`` (its last day); the participations running then
    end with it."""
    if body.ended:
        raise ValidationError(_("De %(body)s is al beëindigd.") % {"body": _body_phrase(body)})
    _check_body_dates(body.started_on, ended_on)
    old = {"ended": body.ended, "ended_on": body.ended_on}
    body.ended, body.ended_on = True, ended_on
    body.save(update_fields=["ended", "ended_on"])
    audit_record(
        action=f"{_body_kind(body)}.end",
        obj=body,
        actor=actor,
        origin=origin,
        changes=diff(old, {"ended": True, "ended_on": ended_on}),
    )
    running = Participation.objects.filter(**{_body_kind(body): body}).filter(_open_after(ended_on))
    _end_or_cancel(
        running,
        end_date=ended_on,
        reason=Participation.EndReason.BODY_ENDED,
        actor=actor,
        origin=origin,
    )
    search.body_index(body)
    return body


@transaction.atomic
def pillar_create(
    *,
    name: str,
    slug: str = "",
    purpose: str = "",
    started_on: datetime.date | None = None,
    actor=None,
    origin: str = "",
) -> Pillar:
    """A new, running pillar; without ``slug`` a unique one is made from the name."""
    return _body_create(
        Pillar,
        name=name,
        slug=slug,
        purpose=purpose,
        started_on=started_on,
        actor=actor,
        origin=origin,
    )


@transaction.atomic
def pillar_update(*, pillar: Pillar, actor=None, origin: str = "", **changes) -> Pillar:
    """Change a pillar's name, purpose or start date."""
    return _body_update(pillar, actor=actor, origin=origin, changes=changes)


@transaction.atomic
def pillar_end(*, pillar: Pillar, ended_on: datetime.date, actor=None, origin: str = "") -> Pillar:
    """End a pillar on ``ended_on``: it takes no new participants or topics after it, and
    its running participations end that day. Its theme groups run on (they may move on to
    another pillar); end them separately."""
    return _body_end(pillar, ended_on=ended_on, actor=actor, origin=origin)


@transaction.atomic
def pillar_succession_add(
    *, predecessor: Pillar, successor: Pillar, note: str = "", actor=None, origin: str = ""
) -> PillarSuccession:
    """Record that (part of) ``predecessor``'s work went to ``successor``."""
    if predecessor.pk == successor.pk:
        raise ValidationError(_("Een pijler kan niet zijn eigen opvolger zijn."))
    if PillarSuccession.objects.filter(predecessor=predecessor, successor=successor).exists():
        raise ValidationError(
            _("%(successor)s is al vastgelegd als opvolger van %(predecessor)s.")
            % {"successor": successor.name, "predecessor": predecessor.name}
        )
    succession = PillarSuccession.objects.create(
        predecessor=predecessor, successor=successor, note=note.strip()
    )
    audit_record(
        action="pillar.succession_add",
        obj=predecessor,
        actor=actor,
        origin=origin,
        changes=diff({}, {"successor": successor.name, "note": succession.note}),
    )
    return succession


@transaction.atomic
def pillar_succession_remove(*, succession: PillarSuccession, actor=None, origin: str = "") -> None:
    audit_record(
        action="pillar.succession_remove",
        obj=succession.predecessor,
        actor=actor,
        origin=origin,
        changes=diff({"successor": succession.successor.name, "note": succession.note}, {}),
    )
    succession.delete()


@transaction.atomic
def theme_group_create(
    *,
    name: str,
    pillar: Pillar | None = None,
    slug: str = "",
    purpose: str = "",
    started_on: datetime.date | None = None,
    actor=None,
    origin: str = "",
) -> ThemeGroup:
    """A new theme group of ``pillar`` (None: of the network as a whole); an ended pillar
    gets no new groups."""
    if pillar is not None and not pillar.is_running(started_on or timezone.localdate()):
        raise ValidationError(
            {"pillar": _("De pijler %(name)s is beëindigd.") % {"name": pillar.name}}
        )
    return _body_create(
        ThemeGroup,
        name=name,
        slug=slug,
        purpose=purpose,
        started_on=started_on,
        actor=actor,
        origin=origin,
        pillar=pillar,
    )


@transaction.atomic
def theme_group_update(
    *, theme_group: ThemeGroup, actor=None, origin: str = "", **changes
) -> ThemeGroup:
    """Change a group's name, purpose, start date or pillar."""
    pillar = changes.get("pillar", theme_group.pillar)
    if "pillar" in changes and pillar is not None and not pillar.is_running():
        raise ValidationError(
            {"pillar": _("De pijler %(name)s is beëindigd.") % {"name": pillar.name}}
        )
    return _body_update(
        theme_group,
        actor=actor,
        origin=origin,
        changes=changes,
        allowed=(*BODY_FIELDS, "pillar"),
    )


@transaction.atomic
def theme_group_end(
    *, theme_group: ThemeGroup, ended_on: datetime.date, actor=None, origin: str = ""
) -> ThemeGroup:
    """End a theme group on ``ended_on``; its running participations end that day."""
    return _body_end(theme_group, ended_on=ended_on, actor=actor, origin=origin)


@transaction.atomic
def pillars_reference_load() -> reference.LoadCounts:
    """The shipped pillars and their successions, where missing (see ``data/PROVENANCE.md``)."""
    counts = reference.pillars_load(Pillar, PillarSuccession)
    # The data migration loads them without the index: put them all there now.
    search.kinds_refresh()
    return counts
