"""A user's private calendar subscription: made on first use, renewed on request (which
revokes the old URL)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from m50.activities.models import CalendarFeed, new_feed_token
from m50.core.audit import audit_record


def calendar_feed_get_or_create(*, user) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def calendar_feed_renew(*, user, origin: str = "") -> CalendarFeed:
    """A new secret for the user's feed; the old URL answers 404 from now on."""
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
    if not created:
        feed.token = new_feed_token()
        feed.created_at = timezone.now()
        feed.save(update_fields=["token", "created_at"])
    # No secret in the audit trail: only that it changed.
    audit_record(action="activities.calendar_feed_renew", obj=feed, actor=user, origin=origin)
    return feed
