"""Who may read, write, submit and accept which knowledge item (DESIGN.md §2, issue 11).

Decisions recorded here (issue 11 leaves them open):

* Reading a published item. Anyone reads a public one (*openbaar*). Every logged-in user reads
  one for all users of members (*netwerk*): only officials of members and the network's own
  staff have an account. One for a pillar or theme group: who takes part in it today (its chair
  included), public affairs and the bureau. One for the bureau: the bureau only.
* Items that are not published (a draft, a submission, a rejected or withdrawn item) are read
  by whoever manages the item (the bureau; the chair of the pillar or group it belongs to) and
  by the user who made or submitted it.
* Managing (editing, accepting, rejecting, withdrawing, adding a version of the file): the
  bureau any item; a chair the items of the pillar or group they chair today.
* A member's official (participant, member contact) writes a good example (*voorbeeld*) of
  their own municipality as a draft, and submits it; it is published when the bureau or the
  chair of its pillar or group accepts it. Until then they may change it, and withdraw it.
* The activity an item came from: one the writer may see (activities.rules.visible_q).
* The person to call about a note (*wie bel je*), from the people register: whoever manages the
  item's pillar or group (the bureau: any item) anyone with a function that has not ended; a
  member's official writing their own example someone with such a function at their own
  municipality or at the network's own organisation (M50): people they can vouch for, not
  names picked from the whole register. A choice already made stays when an item is changed.
"""

from __future__ import annotations

from django.db.models import Q

from m50.accounts.permissions import has_rule
from m50.activities import selectors as activities
from m50.contacts import selectors as contacts
from m50.knowledge.models import Access, Form, Kind, KnowledgeItem, Status
from m50.municipalities.selectors import M50_NETWORK_CODE
from m50.pillars import selectors as pillars

#: The statuses in which the one who wrote an item may still change it.
OWN_EDITABLE = frozenset({Status.DRAFT, Status.SUBMITTED, Status.REJECTED})


def _person_id(user) -> int | None:
    if not _signed_in(user):
        return None
    return getattr(user, "person_id", None)


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def sees_everything(user) -> bool:
    return has_rule(user, "knowledge.view_all")


def visible_q(user) -> Q:
    """The items ``user`` may see, as one condition (subqueries, no query of its own)."""
    if sees_everything(user):
        return Q()
    published = Q(status=Status.PUBLISHED)
    condition = published & Q(access=Access.PUBLIC)
    if not has_rule(user, "knowledge.view_network"):
        return condition
    condition |= published & Q(access=Access.NETWORK)
    if has_rule(user, "knowledge.view_bodies"):
        condition |= published & Q(access=Access.BODY)
    condition |= Q(created_by=user.pk) | Q(submitted_by=user.pk)
    person_id = _person_id(user)
    if person_id is None:
        return condition
    running = pillars.participations_of_person(person_id=person_id)
    condition |= (
        published
        & Q(access=Access.BODY)
        & (
            Q(pillar__in=running.filter(pillar__isnull=False).values("pillar_id"))
            | Q(theme_group__in=running.filter(theme_group__isnull=False).values("theme_group_id"))
        )
    )
    return condition | managed_q(user)


def managed_q(user) -> Q:
    """The items ``user`` manages, as one condition: the bureau all, a chair those of the
    pillars and groups they chair today, anyone else none."""
    if has_rule(user, "knowledge.manage"):
        return Q()
    person_id = _person_id(user)
    if person_id is None or not has_rule(user, "knowledge.manage_own"):
        return Q(pk__in=[])
    chaired = pillars.participations_of_person(person_id=person_id, chair=True)
    return Q(pillar__in=chaired.filter(pillar__isnull=False).values("pillar_id")) | Q(
        theme_group__in=chaired.filter(theme_group__isnull=False).values("theme_group_id")
    )


def may_view(user, item: KnowledgeItem) -> bool:
    if sees_everything(user):
        return True
    if item.status == Status.PUBLISHED and item.access == Access.PUBLIC:
        return True
    return KnowledgeItem.objects.filter(visible_q(user), pk=item.pk).exists()


def may_manage_body(user, body) -> bool:
    """Manage the items of ``body`` (a pillar or theme group; None: the bureau's items)."""
    if has_rule(user, "knowledge.manage"):
        return True
    person_id = _person_id(user)
    if body is None or person_id is None or not has_rule(user, "knowledge.manage_own"):
        return False
    return pillars.person_chairs(person_id=person_id, body=body)


def may_manage(user, item: KnowledgeItem) -> bool:
    """Edit, accept, reject and withdraw ``item``: the bureau, or the chair of its body."""
    return may_manage_body(user, item.body)


def _is_own(user, item: KnowledgeItem) -> bool:
    return _signed_in(user) and user.pk in (item.created_by_id, item.submitted_by_id)


def may_write_example(user, *, municipality_id: int | None) -> bool:
    """Write a good example of ``municipality_id`` to submit: its own officials."""
    return (
        _signed_in(user)
        and has_rule(user, "knowledge.submit")
        and municipality_id is not None
        and user.municipality_id == municipality_id
    )


def may_create(user, *, body=None, kind: str = "", municipality_id: int | None = None) -> bool:
    """Make a new item belonging to ``body``: who manages its items, or (a draft to submit) a
    member's official writing an example of their own municipality."""
    if may_manage_body(user, body):
        return True
    return kind == Kind.EXAMPLE and may_write_example(user, municipality_id=municipality_id)


def may_edit(user, item: KnowledgeItem) -> bool:
    if item.status != Status.WITHDRAWN and may_manage(user, item):
        return True
    return item.status in OWN_EDITABLE and _is_own(user, item)


def may_add_version(user, item: KnowledgeItem) -> bool:
    return item.form == Form.DOCUMENT and may_edit(user, item)


def may_submit(user, item: KnowledgeItem) -> bool:
    """The one who wrote an example of their own municipality submits it (again, after a
    rejection)."""
    return (
        item.status in (Status.DRAFT, Status.REJECTED)
        and item.kind == Kind.EXAMPLE
        and _signed_in(user)
        and item.created_by_id == user.pk
        and may_write_example(user, municipality_id=item.municipality_id)
    )


def may_accept(user, item: KnowledgeItem) -> bool:
    """Publish ``item``: a submission, by whoever manages it; a draft, by whoever manages it
    and made it themself (someone else's draft is not finished until it is submitted)."""
    if not may_manage(user, item):
        return False
    if item.status == Status.SUBMITTED:
        return True
    return item.status == Status.DRAFT and item.created_by_id in (None, user.pk)


def may_reject(user, item: KnowledgeItem) -> bool:
    return item.status == Status.SUBMITTED and may_manage(user, item)


def may_withdraw(user, item: KnowledgeItem) -> bool:
    """Whoever manages it, any item not withdrawn yet; the one who wrote it, while it is not
    published."""
    if item.status == Status.WITHDRAWN:
        return False
    if may_manage(user, item):
        return True
    return item.status in OWN_EDITABLE and _is_own(user, item)


def activity_choices(user):
    """The activities ``user`` may name as where an item came from: those they may see (a
    queryset, latest first)."""
    return activities.activity_choices(user=user)


def may_name_activity(user, activity) -> bool:
    return activity_choices(user).filter(pk=activity.pk).exists()


def manages_some_body(user) -> bool:
    """Whether ``user`` manages the items of some pillar or group (or all): for the choices of
    a new item, whose pillar or group is chosen on the same form. At most one query."""
    if has_rule(user, "knowledge.manage"):
        return True
    person_id = _person_id(user)
    return (
        person_id is not None
        and has_rule(user, "knowledge.manage_own")
        and bool(pillars.chaired_by(person_id=person_id))
    )


def contact_choices(user, *, body=None, manages: bool | None = None):
    """The people ``user`` may name as whom to call in a note of ``body`` (a pillar or group;
    None: the bureau's): a queryset by surname. ``manages``: whether they manage it, when
    already known."""
    if manages is None:
        manages = may_manage_body(user, body)
    if manages:
        return contacts.person_choices(everyone=True)
    return contacts.person_choices(
        municipality_id=user.municipality_id if _signed_in(user) else None,
        network_code=M50_NETWORK_CODE,
    )


def may_name_contact(user, person, *, body) -> bool:
    return contact_choices(user, body=body).filter(pk=person.pk).exists()
