"""Topics of a pillar or theme group, and their status history."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from m50.contacts.models import Person
from m50.core.audit import audit_actor, audit_record, diff
from m50.pillars import rules, search
from m50.pillars.models import (
    Pillar,
    ThemeGroup,
    Topic,
    TopicStatus,
    TopicStatusChange,
)
from m50.pillars.services._common import (
    TOPIC_FIELDS,
    _body_phrase,
    _strip,
    _values,
    theme_names,
    themes_clean,
)

# --- Topics -----------------------------------------------------------------------------------


def _record_status(topic: Topic, *, from_status: str, note: str, actor, origin) -> None:
    user, label, _origin = audit_actor(actor, origin)
    TopicStatusChange.objects.create(
        topic=topic,
        from_status=from_status,
        to_status=topic.status,
        changed_by=user,
        changed_by_label=label[:200],
        note=note.strip(),
    )


@transaction.atomic
def topic_propose(
    *,
    title: str,
    owner: Person,
    pillar: Pillar | None = None,
    theme_group: ThemeGroup | None = None,
    description: str = "",
    themes=(),
    note: str = "",
    actor=None,
    origin: str = "",
) -> Topic:
    """A topic proposed for a running pillar or group; its owner takes part there today.
    ``themes``: active themes of the shared list."""
    if (pillar is None) == (theme_group is None):
        raise ValidationError(_("Een onderwerp hoort bij één pijler of bij één themagroep."))
    body = pillar or theme_group
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Vul een titel in.")})
    today = timezone.localdate()
    if not body.is_running(today):
        raise ValidationError(
            _("De %(body)s loopt niet en neemt geen nieuwe onderwerpen aan.")
            % {"body": _body_phrase(body)},
            code="body_ended",
        )
    _check_owner(owner, body, today)
    themes = themes_clean(themes=themes)
    topic = Topic(
        pillar=pillar,
        theme_group=theme_group,
        title=title,
        description=description.strip(),
        owner=owner,
        status=TopicStatus.PROPOSED,
    )
    topic.full_clean()
    topic.save()
    topic.themes.set(themes)
    _record_status(topic, from_status="", note=note, actor=actor, origin=origin)
    changes = diff({}, {**_values(topic, TOPIC_FIELDS), "status": topic.status})
    if themes:
        changes["themes"] = {"old": [], "new": theme_names(themes)}
    audit_record(action="topic.propose", obj=topic, actor=actor, origin=origin, changes=changes)
    search.topic_index(topic)
    return topic


def _check_owner(owner: Person | None, body, on: datetime.date) -> None:
    from m50.pillars import selectors

    if owner is None:
        raise ValidationError({"owner": _("Een onderwerp heeft een eigenaar.")})
    if not selectors.person_takes_part(person_id=owner.pk, body=body, on=on):
        raise ValidationError(
            {
                "owner": _("%(person)s neemt niet deel aan de %(body)s.")
                % {"person": owner.full_name, "body": _body_phrase(body)}
            }
        )


@transaction.atomic
def topic_update(*, topic: Topic, actor=None, origin: str = "", themes=None, **changes) -> Topic:
    """Change a topic's title, description, owner (who takes part there today) or themes
    (``None``: unchanged; a theme no longer in use stays if the topic had it)."""
    unknown = set(changes) - set(TOPIC_FIELDS)
    if unknown:
        raise TypeError(f"unknown topic fields: {sorted(unknown)}")
    changes = {name: _strip(value) for name, value in changes.items()}
    if "title" in changes and not changes["title"]:
        raise ValidationError({"title": _("Vul een titel in.")})
    if "owner" in changes and changes["owner"] != topic.owner:
        _check_owner(changes["owner"], topic.body, timezone.localdate())
    if themes is not None:
        themes_before = list(topic.themes.all())
        themes = themes_clean(themes=themes, current=themes_before)
    old = _values(topic, TOPIC_FIELDS)
    for name, value in changes.items():
        setattr(topic, name, value)
    topic.full_clean()
    changed = diff(old, _values(topic, TOPIC_FIELDS))
    if changed:
        topic.save(update_fields=list(changed))
    if themes is not None:
        before, after = theme_names(themes_before), theme_names(themes)
        if before != after:
            topic.themes.set(themes)
            changed["themes"] = {"old": before, "new": after}
    if changed:
        audit_record(action="topic.update", obj=topic, actor=actor, origin=origin, changes=changed)
        search.topic_index(topic)
    return topic


@transaction.atomic
def topic_status_change(
    *, topic: Topic, status: str, note: str = "", actor=None, origin: str = ""
) -> Topic:
    """Adopt, park, close or reopen a topic (``rules.TOPIC_TRANSITIONS``), with its history.
    In a pillar or group that no longer runs a topic can only be closed."""
    if status not in TopicStatus.values:
        raise ValidationError({"status": _("Onbekende status: %(status)s.") % {"status": status}})
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    if status not in rules.TOPIC_TRANSITIONS[topic.status]:
        raise ValidationError(
            {
                "status": _("Een onderwerp met status %(old)s kan niet naar %(new)s.")
                % {"old": TopicStatus(topic.status).label, "new": TopicStatus(status).label}
            },
            code="transition",
        )
    body = topic.body
    if status != TopicStatus.CLOSED and not body.is_running():
        raise ValidationError(
            _("De %(body)s loopt niet meer; een onderwerp ervan kan alleen nog worden afgesloten.")
            % {"body": _body_phrase(body)},
            code="body_ended",
        )
    old = topic.status
    topic.status = status
    topic.save(update_fields=["status"])
    _record_status(topic, from_status=old, note=note, actor=actor, origin=origin)
    audit_record(
        action="topic.status_change",
        obj=topic,
        actor=actor,
        origin=origin,
        changes={**diff({"status": old}, {"status": status}), **_note(note)},
    )
    search.topic_index(topic)  # its status is in its text
    return topic


def _note(note: str) -> dict:
    return {"note": {"old": "", "new": note.strip()}} if note.strip() else {}
