"""Calendars: the .ics of one activity, the public feed, and the subscription feeds whose
secret URL is their only key (calendar clients do not log in), with the page that shows those
URLs and renews the secret.

A feed that cannot be opened answers 404 whatever the cause (an unknown or renewed secret, a
body the secret's owner does not take part in), so a URL tells nothing about what exists.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from m50.activities import calendar, selectors, services
from m50.activities.models import Activity, CalendarFeed
from m50.core.access import rule_required
from m50.core.conditional import validators
from m50.core.versions import ACTIVITIES, REGISTRY
from m50.pillars import selectors as pillar_selectors
from m50.pillars.models import Pillar, ThemeGroup

ORIGIN = "webformulier"


def _calendar_response(request, content: bytes, *, filename: str = "") -> HttpResponse:
    """``content`` with a validator of its own bytes: a client that has them gets 304 (the
    feed is still read, but not sent again)."""
    etag = '"' + hashlib.sha256(content).hexdigest()[:32] + '"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = HttpResponse(content, content_type=calendar.CONTENT_TYPE)
        if filename:
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["ETag"] = etag
    patch_cache_control(response, private=True, no_cache=True)
    return response


@require_safe
@rule_required("activities.calendar")
def activity_ics(request, pk: int):
    try:
        activity = selectors.activity_detail(user=request.user, pk=pk)
    except Activity.DoesNotExist as exc:
        raise Http404 from exc
    content = calendar.activity_ics(activity, seat=calendar.holds_seat(activity, request.user))
    return _calendar_response(request, content, filename=f"activiteit-{activity.pk}.ics")


@require_safe
@rule_required("activities.calendar")
def feed_public(request):
    """The same for everyone: validated by the data versions before anything is read, and
    written as a stream."""
    state = validators(request, (ACTIVITIES, REGISTRY), user=None, html=False)
    response = get_conditional_response(request, etag=state.etag, last_modified=state.last_modified)
    if response is None:
        response = StreamingHttpResponse(
            calendar.feed(calendar.public_activities(), name=_("M50-activiteiten (openbaar)")),
            content_type=calendar.CONTENT_TYPE,
        )
        response["Content-Disposition"] = 'inline; filename="m50-activiteiten.ics"'
    response["ETag"] = state.etag
    response["Last-Modified"] = http_date(state.last_modified)
    patch_cache_control(response, no_cache=True)
    return response


def _feed_user(token: str):
    """The owner of the feed secret ``token`` (404: unknown, renewed, or the account closed)."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    return feed.user


@require_safe
@rule_required("activities.calendar_feed")
def feed_user(request, token: str):
    user = _feed_user(token)
    content = calendar.feed_bytes(
        calendar.user_activities(user), name=_("M50-activiteiten van %(name)s") % {"name": user}
    )
    return _calendar_response(request, content)


def _body_feed(request, token: str, model, slug: str):
    user = _feed_user(token)
    body = get_object_or_404(model, slug=slug)
    if not calendar.takes_part(user, body):
        raise Http404
    content = calendar.feed_bytes(
        calendar.body_activities(user, body),
        name=_("M50-activiteiten: %(body)s") % {"body": body.name},
    )
    return _calendar_response(request, content)


@require_safe
@rule_required("activities.calendar_feed")
def feed_pillar(request, token: str, slug: str):
    return _body_feed(request, token, Pillar, slug)


@require_safe
@rule_required("activities.calendar_feed")
def feed_group(request, token: str, slug: str):
    return _body_feed(request, token, ThemeGroup, slug)


def _absolute(path: str) -> str:
    return settings.M50_SITE_URL.rstrip("/") + path


def _webcal(url: str) -> str:
    """The same URL for Apple's calendars, which subscribe on a webcal: link."""
    return "webcal://" + url.split("://", 1)[1]


def _feed_link(url: str, label: str, id: str) -> dict:
    return {"label": label, "url": url, "webcal": _webcal(url), "id": id}


@require_http_methods(["GET", "POST"])
@rule_required("activities.subscribe")
def subscription(request):
    if request.method == "POST":
        services.calendar_feed_renew(user=request.user, origin=ORIGIN)
        messages.success(
            request,
            _(
                "Uw agenda-adressen zijn vernieuwd. De oude adressen werken niet meer: "
                "abonneer uw agenda opnieuw met de nieuwe."
            ),
        )
        return redirect("activities:subscription")
    token = services.calendar_feed_get_or_create(user=request.user).token
    own = _feed_link(
        _absolute(reverse("activities:feed_user", kwargs={"token": token})),
        _("Mijn activiteiten"),
        "agenda-eigen",
    )
    bodies = []
    person_id = getattr(request.user, "person_id", None)
    if person_id is not None:
        participations = (
            pillar_selectors.participations_of_person(person_id=person_id)
            .select_related("pillar", "theme_group")
            .order_by("pk")
        )
        seen = set()
        for participation in participations:
            body = participation.body
            if participation.pillar_id:
                name, kind = "activities:feed_pillar", _("pijler")
            else:
                name, kind = "activities:feed_group", _("themagroep")
            if (name, body.pk) in seen:
                continue
            seen.add((name, body.pk))
            path = reverse(name, kwargs={"token": token, "slug": body.slug})
            label = f"{body.name} ({kind})"
            bodies.append(_feed_link(_absolute(path), label, f"agenda-{len(bodies) + 1}"))
    public = _feed_link(
        _absolute(reverse("activities:feed_public")),
        _("Openbare activiteiten van het M50"),
        "agenda-openbaar",
    )
    return render(
        request,
        "activities/subscription.html",
        {
            "title": _("Activiteiten in uw eigen agenda"),
            "own": own,
            "bodies": bodies,
            "public": public,
        },
    )
