"""Who may read and write public affairs' own records (DESIGN.md §2, issue 12).

* Public affairs and the bureau write every record (dossiers, positions, stakeholders,
  contacts, follow-ups, consultations, motions entered by hand, the watch list) and read
  everything, confidential notes included.
* Every other logged-in user of the network reads the records, but never a contact's
  confidential note: the selectors leave it out of their queries, not only of pages.
* The owner of a follow-up may mark it done (it is their action), whatever their role.
* A theme's position marked for publication is for anyone (the public site).
"""

from __future__ import annotations

from m50.accounts.permissions import has_rule


def may_read(user) -> bool:
    return has_rule(user, "publicaffairs.view_records")


def may_write(user) -> bool:
    return has_rule(user, "publicaffairs.manage_records")


def sees_confidential(user) -> bool:
    return has_rule(user, "publicaffairs.view_confidential")


def may_complete_follow_up(user, follow_up) -> bool:
    if may_write(user):
        return True
    return may_read(user) and follow_up.owner_id == user.pk
