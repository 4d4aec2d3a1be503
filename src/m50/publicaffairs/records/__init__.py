"""Writes of public affairs' own records (issue 12): theme dossiers and their positions,
stakeholders, contacts (*contactmomenten*) and follow-ups, recurring consultations, motions
entered by hand, the watch list. The Tweede Kamer sync's writes are in ``services``.

Every write is one function, keyword-only, atomic, audited, its permission checked in
``rules`` (``actor=None`` is a management command, audited as the operator who ran it). Bad
input raises ValidationError with a Dutch message per field and writes nothing. A confidential
note never enters the audit trail: its change is recorded as masked.

One module per subject; this package re-exports every public name, so callers import
``records`` as before.
"""

from m50.publicaffairs.records._common import MASKED, NOTE_CHANGED
from m50.publicaffairs.records.consultations import (
    series_create,
)
from m50.publicaffairs.records.dossiers import (
    MAX_WATCH_TERM_LENGTH,
    MAX_WATCH_TERMS,
    dossier_create,
    dossier_motion_link,
    dossier_motion_unlink,
    dossier_update,
    position_add,
    position_publish,
    position_unpublish,
)
from m50.publicaffairs.records.interactions import (
    INTERACTION_FIELDS,
    INTERACTION_LINKS,
    follow_up_complete,
    follow_up_create,
    follow_up_delete,
    interaction_create,
    interaction_update,
)
from m50.publicaffairs.records.motions import (
    motion_co_submitters_set,
    motion_outcome_set,
    vng_motion_create,
    vng_motion_update,
)
from m50.publicaffairs.records.stakeholders import (
    STAKEHOLDER_FIELDS,
    stakeholder_create,
    stakeholder_update,
)
from m50.publicaffairs.records.watch import (
    WatchRefresh,
    watch_match_accept,
    watch_match_dismiss,
    watch_matches_refresh,
)

__all__ = [
    "INTERACTION_FIELDS",
    "INTERACTION_LINKS",
    "MASKED",
    "MAX_WATCH_TERMS",
    "MAX_WATCH_TERM_LENGTH",
    "NOTE_CHANGED",
    "STAKEHOLDER_FIELDS",
    "WatchRefresh",
    "dossier_create",
    "dossier_motion_link",
    "dossier_motion_unlink",
    "dossier_update",
    "follow_up_complete",
    "follow_up_create",
    "follow_up_delete",
    "interaction_create",
    "interaction_update",
    "motion_co_submitters_set",
    "motion_outcome_set",
    "position_add",
    "position_publish",
    "position_unpublish",
    "series_create",
    "stakeholder_create",
    "stakeholder_update",
    "vng_motion_create",
    "vng_motion_update",
    "watch_match_accept",
    "watch_match_dismiss",
    "watch_matches_refresh",
]
