"""The calendar pages: an activity's .ics, the public feed, the subscription page and the
secret feeds (a user's own, a pillar's, a theme group's), each parsed back with the iCalendar
library; renewing, refusals as 404, validators, and queries that do not grow with the feed."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from m50.activities import services
from m50.activities.models import (
    Activity,
    Audience,
    CalendarFeed,
    Kind,
    Registration,
    RegistrationState,
    Status,
)
from m50.core.models import AuditEvent
from m50.pillars import services as pillar_services
from tests.activities.conftest import participant, plan
from tests.pillars.conftest import official, user_of

pytestmark = pytest.mark.django_db
START = datetime.date(2024, 3, 1)


def entries(response) -> dict:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    content = b"".join(response.streaming_content) if response.streaming else response.content
    parsed = Calendar.from_ical(content)
    assert parsed.get_missing_tzids() == set()
    return {str(event["SUMMARY"]): event for event in parsed.walk("VEVENT")}


def member_of(organisation, *bodies):
    """A participant taking part in ``bodies`` (pillars or theme groups) since 2024."""
    position = official(organisation)
    for body in bodies:
        kind = "pillar" if body.__class__.__name__ == "Pillar" else "theme_group"
        pillar_services.participation_register(position=position, start_date=START, **{kind: body})
    return user_of(position)


def feed_url(user, name="activities:feed_user", **kwargs) -> str:
    token = services.calendar_feed_get_or_create(user=user).token
    return reverse(name, kwargs={"token": token, **kwargs})


# --- One activity ------------------------------------------------------------------------------


def test_the_ics_of_a_public_activity_for_anyone(client, bureau):
    activity = plan(bureau, audience=Audience.PUBLIC, title="Open dag")
    response = client.get(reverse("activities:ics", args=[activity.pk]))
    assert set(entries(response)) == {"Open dag"}
    assert response["Content-Disposition"] == f'attachment; filename="activiteit-{activity.pk}.ics"'


def test_the_ics_is_404_for_whoever_may_not_see_the_activity(client, bureau, diemen):
    members = plan(bureau, audience=Audience.MEMBERS)
    invited = plan(bureau, audience=Audience.INVITATION)
    assert client.get(reverse("activities:ics", args=[members.pk])).status_code == 404
    client.force_login(participant(diemen))
    assert client.get(reverse("activities:ics", args=[members.pk])).status_code == 200
    assert client.get(reverse("activities:ics", args=[invited.pk])).status_code == 404
    assert client.get(reverse("activities:ics", args=[999_999])).status_code == 404


def test_the_ics_shows_the_online_link_to_a_seat_only(client, bureau, diemen, houten):
    activity = plan(bureau, capacity=1, online_url="https://meet.example.org/m50")
    seated, waiting = participant(diemen), participant(houten)
    for user in (seated, waiting):
        services.registration_create(activity=activity, person=user.person, actor=user)
    url = reverse("activities:ics", args=[activity.pk])
    client.force_login(seated)
    assert b"meet.example.org" in client.get(url).content
    client.force_login(waiting)
    assert b"meet.example.org" not in client.get(url).content


def test_the_ics_answers_304_while_it_is_the_same(client, bureau):
    activity = plan(bureau, audience=Audience.PUBLIC)
    url = reverse("activities:ics", args=[activity.pk])
    etag = client.get(url)["ETag"]
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304
    services.activity_update(activity=activity, actor=bureau, title="Verplaatst")
    assert client.get(url, headers={"if-none-match": etag}).status_code == 200


# --- The public feed ---------------------------------------------------------------------------


def test_the_public_feed_holds_only_public_activities_cancelled_ones_marked(client, bureau):
    plan(bureau, audience=Audience.PUBLIC, title="Open")
    cancelled = plan(bureau, audience=Audience.PUBLIC, title="Afgelast")
    services.activity_cancel(activity=cancelled, actor=bureau, reason="Storm")
    plan(bureau, audience=Audience.MEMBERS, title="Leden")
    plan(bureau, audience=Audience.INVITATION, title="Genodigden")
    found = entries(client.get(reverse("activities:feed_public")))
    assert set(found) == {"Open", "Geannuleerd: Afgelast"}
    assert str(found["Geannuleerd: Afgelast"]["STATUS"]) == "CANCELLED"
    assert str(found["Open"]["STATUS"]) == "CONFIRMED"


def test_the_public_feed_answers_304_until_an_activity_changes(client, bureau):
    activity = plan(bureau, audience=Audience.PUBLIC)
    url = reverse("activities:feed_public")
    first = client.get(url)
    b"".join(first.streaming_content)
    assert first["Last-Modified"]
    assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304
    services.activity_update(activity=activity, actor=bureau, title="Nieuw")
    assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 200


# --- The subscription page and the secret feeds -----------------------------------------------


def test_the_subscription_page_shows_the_secret_urls_and_how_to_use_them(client, diemen, sociaal):
    user = member_of(diemen, sociaal)
    client.force_login(user)
    response = client.get(reverse("activities:subscription"))
    assert response.status_code == 200
    token = CalendarFeed.objects.get(user=user).token
    html = response.content.decode()
    assert reverse("activities:feed_user", kwargs={"token": token}) in html
    assert reverse("activities:feed_pillar", kwargs={"token": token, "slug": "sociaal"}) in html
    assert "webcal://" in html
    for client_name in ("Outlook", "Google Agenda", "Apple Agenda"):
        assert client_name in html
    # No inline script: the header's type-ahead is the only script, an external file.
    assert re.findall(r"<script(?![^>]*\bsrc=)", html) == []
    assert 'style="' not in html


def test_the_subscription_page_needs_a_login(client):
    response = client.get(reverse("activities:subscription"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_renewing_makes_the_old_urls_404(client, bureau, diemen, sociaal):
    user = member_of(diemen, sociaal)
    plan(bureau, title="Ledenvergadering")
    old = feed_url(user)
    old_pillar = feed_url(user, "activities:feed_pillar", slug="sociaal")
    assert client.get(old).status_code == 200
    client.force_login(user)
    response = client.post(reverse("activities:subscription"), follow=True)
    assert "vernieuwd" in response.content.decode()
    client.logout()
    assert client.get(old).status_code == 404
    assert client.get(old_pillar).status_code == 404
    new = feed_url(user)
    assert new != old
    assert set(entries(client.get(new))) == set()  # no registration, no pillar activity
    assert AuditEvent.objects.filter(action="activities.calendar_feed_renew").count() == 1


def test_a_bad_token_or_a_closed_account_is_404(client, diemen):
    user = participant(diemen)
    url = feed_url(user)
    assert client.get(url).status_code == 200
    assert client.get(reverse("activities:feed_user", args=["geen-geheim"])).status_code == 404
    user.is_active = False
    user.save()
    assert client.get(url).status_code == 404


def test_the_own_feed_registered_and_the_pillars_activities(client, bureau, diemen, sociaal):
    user = member_of(diemen, sociaal)
    registered = plan(bureau, title="Aangemeld")
    cancelled = plan(bureau, title="Afgelast")
    given_up = plan(bureau, title="Afgemeld")
    plan(bureau, title="Van Sociaal", organiser=sociaal)
    plan(bureau, title="Voor Sociaal", audience=Audience.BODY, audience_body=sociaal)
    plan(bureau, title="Niet van mij")
    for activity in (registered, cancelled, given_up):
        services.registration_create(activity=activity, person=user.person, actor=user)
    services.registration_cancel(
        registration=Registration.objects.get(activity=given_up), actor=user
    )
    services.activity_cancel(activity=cancelled, actor=bureau, reason="Ziekte")
    found = entries(client.get(feed_url(user)))
    assert set(found) == {"Aangemeld", "Geannuleerd: Afgelast", "Van Sociaal", "Voor Sociaal"}
    assert str(found["Geannuleerd: Afgelast"]["STATUS"]) == "CANCELLED"
    assert str(found["Aangemeld"]["TRANSP"]) == "OPAQUE"
    assert str(found["Van Sociaal"]["TRANSP"]) == "TRANSPARENT"


def test_the_own_feed_answers_304_while_it_is_the_same(client, bureau, diemen):
    user = participant(diemen)
    activity = plan(bureau, title="Aangemeld")
    services.registration_create(activity=activity, person=user.person, actor=user)
    url = feed_url(user)
    etag = client.get(url)["ETag"]
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304
    services.activity_update(activity=activity, actor=bureau, title="Gewijzigd")
    assert client.get(url, headers={"if-none-match": etag}).status_code == 200


def test_a_pillar_feed_for_its_participants_only(client, bureau, diemen, sociaal, financieel):
    user = member_of(diemen, sociaal)
    group = pillar_services.theme_group_create(name="Jeugd", pillar=sociaal, actor=bureau)
    plan(bureau, title="Van Sociaal", organiser=sociaal)
    plan(bureau, title="Van de groep", organiser=group)
    plan(bureau, title="Van Financieel", organiser=financieel)
    found = entries(client.get(feed_url(user, "activities:feed_pillar", slug="sociaal")))
    assert set(found) == {"Van Sociaal", "Van de groep"}
    assert client.get(feed_url(user, "activities:feed_pillar", slug="financieel")).status_code == (
        404
    )
    assert client.get(feed_url(user, "activities:feed_group", slug=group.slug)).status_code == 404
    assert client.get(
        feed_url(user, "activities:feed_pillar", slug="bestaat-niet")
    ).status_code == (404)


def test_a_group_feed_for_its_participants(client, bureau, diemen, sociaal):
    group = pillar_services.theme_group_create(name="Jeugd", pillar=sociaal, actor=bureau)
    user = member_of(diemen, group)
    plan(bureau, title="Van de groep", organiser=group)
    plan(bureau, title="Voor de groep", audience=Audience.BODY, audience_body=group)
    plan(bureau, title="Van Sociaal", organiser=sociaal)
    found = entries(client.get(feed_url(user, "activities:feed_group", slug=group.slug)))
    assert set(found) == {"Van de groep", "Voor de groep"}


def test_a_body_feed_leaves_out_what_the_subscriber_may_not_see(client, bureau, diemen, sociaal):
    user = member_of(diemen, sociaal)
    plan(bureau, title="Alleen bestuurders", organiser=sociaal, audience=Audience.ADMINISTRATORS)
    plan(bureau, title="Voor iedereen", organiser=sociaal, audience=Audience.PUBLIC)
    found = entries(client.get(feed_url(user, "activities:feed_pillar", slug="sociaal")))
    # The official is an alderman, so a bestuurder: the first shows; a policy advisor's not.
    assert set(found) == {"Alleen bestuurders", "Voor iedereen"}
    position = official(diemen, function="beleidsadviseur")
    pillar_services.participation_register(position=position, pillar=sociaal, start_date=START)
    advisor = user_of(position)
    found = entries(client.get(feed_url(advisor, "activities:feed_pillar", slug="sociaal")))
    assert set(found) == {"Voor iedereen"}


# --- Queries do not grow with the feed ---------------------------------------------------------


def populate(count: int, *, user, organiser, host) -> None:
    """``count`` activities of every sort (half of them registered for by ``user``), stored
    directly: the scale, not the rules, is tested here."""
    now = timezone.now()
    kinds = list(Kind.values)
    activities = Activity.objects.bulk_create(
        Activity(
            kind=kinds[n % len(kinds)],
            title=f"Activiteit {n}, deel; {n}",
            description=f"Regel 1\nRegel {n}",
            starts_at=now + datetime.timedelta(days=n, hours=1),
            ends_at=now + datetime.timedelta(days=n, hours=3),
            audience=Audience.PUBLIC if n % 2 else Audience.MEMBERS,
            organiser_pillar=organiser if n % 3 == 0 else None,
            host_municipality=host if n % 4 == 0 else None,
            online_url="https://meet.example.org/x" if n % 5 == 0 else "",
            status=Status.CANCELLED if n % 7 == 0 else Status.SCHEDULED,
            cancelled_at=now if n % 7 == 0 else None,
        )
        for n in range(count)
    )
    Registration.objects.bulk_create(
        Registration(activity=activity, person=user.person, state=RegistrationState.CONFIRMED)
        for activity in activities[::2]
    )


@pytest.mark.parametrize("count", [10, 1000])
def test_the_feeds_cost_the_same_queries_for_10_and_1000_activities(
    client, django_assert_num_queries, bureau, diemen, sociaal, count
):
    user = member_of(diemen, sociaal)
    populate(count, user=user, organiser=sociaal, host=diemen.municipality)
    own, body = feed_url(user), feed_url(user, "activities:feed_pillar", slug="sociaal")
    public = reverse("activities:feed_public")
    with django_assert_num_queries(3):  # the secret, the years, the rows
        assert len(entries(client.get(own))) > count // 2
    with django_assert_num_queries(5):  # the secret, the pillar, taking part, years, rows
        assert len(entries(client.get(body))) >= count // 3
    with django_assert_num_queries(3):  # the data versions, the years, the rows
        assert len(entries(client.get(public))) == count // 2


@pytest.mark.parametrize("count", [10, 1000])
def test_the_subscription_page_and_an_ics_cost_the_same_queries(
    client, django_assert_num_queries, bureau, diemen, sociaal, financieel, count
):
    user = member_of(diemen, sociaal, financieel)
    populate(count, user=user, organiser=sociaal, host=diemen.municipality)
    services.calendar_feed_get_or_create(user=user)
    client.force_login(user)
    activity = Activity.objects.order_by("pk").first()
    client.get(reverse("activities:subscription"))  # the session's first read
    with django_assert_num_queries(4):  # session, user, the feed, the participations
        assert client.get(reverse("activities:subscription")).status_code == 200
    with django_assert_num_queries(4):  # session, user, the activity, the seat
        assert client.get(reverse("activities:ics", args=[activity.pk])).status_code == 200
