"""Every write of activities (DESIGN.md §3): one function per change, atomic, audited."""

from m50.activities.services.activities import (
    SERIES_MAX,
    activity_cancel,
    activity_create,
    activity_update,
    all_day_span,
    invitation_add,
    invitation_remove,
    series_cancel_from,
    series_plan,
)
from m50.activities.services.documents import document_add, document_remove
from m50.activities.services.feeds import calendar_feed_get_or_create, calendar_feed_renew
from m50.activities.services.registrations import (
    attendance_add_walk_in,
    attendance_record,
    attendance_remove,
    registration_cancel,
    registration_create,
)
from m50.activities.services.reminders import reminders_send

__all__ = [
    "SERIES_MAX",
    "activity_cancel",
    "activity_create",
    "activity_update",
    "all_day_span",
    "attendance_add_walk_in",
    "attendance_record",
    "attendance_remove",
    "calendar_feed_get_or_create",
    "calendar_feed_renew",
    "document_add",
    "document_remove",
    "invitation_add",
    "invitation_remove",
    "registration_cancel",
    "registration_create",
    "reminders_send",
    "series_cancel_from",
    "series_plan",
]
