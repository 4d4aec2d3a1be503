"""A member's value report: on the contact's own municipality page and as PDF; the aspirant
year by default while it runs; compared with the median member of its size."""

import datetime

import pytest
from django.urls import reverse

from m50.accounts.models import Role
from m50.activities.models import Activity, Attendance
from m50.publicaffairs.models import Interaction
from tests.reports import memo_helpers as h
from tests.reports.test_memo_page import _grow

pytestmark = pytest.mark.django_db
D = datetime.date


def url(code, **query):
    from urllib.parse import urlencode

    base = reverse("reports:value_report", args=[code])
    return f"{base}?{urlencode(query)}" if query else base


def _attend(municipality, title, day):
    moment = datetime.datetime(day.year, day.month, day.day, 10, tzinfo=datetime.UTC)
    activity = Activity.objects.create(
        kind="pijlerbijeenkomst",
        title=title,
        starts_at=moment,
        ends_at=moment + datetime.timedelta(hours=2),
    )
    Attendance.objects.create(
        activity=activity, name="Deelnemer", municipality=municipality, year=day.year
    )


def test_the_aspirant_year_is_the_default_period_while_it_runs():
    from m50.reports.memo.value import default_period

    aspirant = h.aspirant_only()  # aspirant since 15 January 2024, for a year
    assert default_period(aspirant.code, D(2024, 6, 4)) == (D(2024, 1, 15), D(2025, 1, 15))
    member = h.member_via_mandate()
    assert default_period(member.code, D(2024, 6, 4)) == (D(2024, 1, 1), D(2024, 12, 31))


def test_the_report_states_what_membership_brought_and_compares(client, user_for_role, settings):
    settings.M50_MEMBERSHIP_DIRECT_ENTRY = True
    h.fees()
    item = h.member_via_mandate()  # 31,200 inhabitants: the class 30,000 to 39,999
    peer = h.direct_member()
    _attend(item, "Pijler Sociaal", D(2024, 3, 5))
    _attend(item, "Pijler Ruimtelijk", D(2024, 4, 9))
    _attend(peer, "Pijler Sociaal", D(2024, 3, 5))
    Interaction.objects.create(
        kind="werkbezoek", date=D(2024, 5, 2), subject="Werkbezoek Kamerleden", municipality=item
    )
    client.force_login(user_for_role(Role.MEMBER_CONTACT, municipality=item))
    page = client.get(reverse("municipalities:detail", args=[item.code]))
    assert url(item.code) in page.content.decode()
    response = client.get(url(item.code, van="2024-01-01", tot="2024-12-31"))
    html = response.content.decode()
    assert "Wat het M50 Mandaatstad bracht, van 1 januari 2024 tot en met 31 december 2024" in html
    assert "Besluiten en termijnen" in html and "op grond van het mandaat van 1 september 2022" in (
        html
    )
    assert "Werkbezoeken aan Mandaatstad: Werkbezoek Kamerleden, 2 mei 2024." in html
    assert (
        "Vergeleken met de 2 leden met 30.000 tot 39.999 inwoners (mediaan): activiteiten "
        "bijgewoond 2, mediaan 1,5" in html
    )
    pdf = client.get(url(item.code, van="2024-01-01", tot="2024-12-31", formaat="pdf"))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["X-Content-Type-Options"] == "nosniff"
    text = h.pdf_text(pdf.content)
    assert "Werkbezoek Kamerleden" in text and "€ 5.000,00" in text


def test_a_bad_period_is_said_in_dutch(client, user_for_role):
    item = h.member_via_mandate()
    client.force_login(user_for_role(Role.BUREAU))
    html = client.get(url(item.code, van="2024-12-31", tot="2024-01-01")).content.decode()
    assert "Het einde van de periode ligt vóór het begin." in html


def test_a_start_after_the_default_end_gives_no_report(client, user_for_role):
    item = h.member_via_mandate()
    client.force_login(user_for_role(Role.BUREAU))
    # Only a start, long after the default period's end: no PDF of an impossible period.
    response = client.get(url(item.code, van="2099-01-01", formaat="pdf"))
    assert response["Content-Type"].startswith("text/html")
    assert "Het einde van de periode ligt vóór het begin." in response.content.decode()


@pytest.mark.parametrize("role", [Role.MEMBER_CONTACT, Role.PARTICIPANT, Role.PUBLIC_AFFAIRS])
def test_others_find_nothing(client, user_for_role, role):
    item = h.member_via_mandate()
    client.force_login(user_for_role(role))
    assert client.get(url(item.code)).status_code == 404
    assert client.get(url(item.code, formaat="pdf")).status_code == 404


def test_the_query_count_does_not_grow_with_the_members(client, user_for_role):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    item = h.member_via_mandate()
    client.force_login(user_for_role(Role.BUREAU))

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(item.code, van="2023-01-01", tot="2023-12-31")).status_code == 200
        return len(queries)

    _grow(item, 10)
    small = count()
    _grow(item, 1_000)
    assert count() == small


def test_the_contacts_start_page_links_the_value_report_and_the_memo(client, user_for_role):
    item = h.aspirant_only()
    contact = user_for_role(Role.MEMBER_CONTACT, municipality=item)
    client.force_login(contact)
    html = client.get(reverse("core:home")).content.decode()
    assert "Wat het M50 uw gemeente bracht" in html
    assert f'href="{url(item.code)}"' in html
    assert f'href="{url(item.code, formaat="pdf")}"' in html
    assert f'href="{reverse("reports:council_memo", args=[item.code])}"' in html
    # The PDF link gives the report of the running aspirant year.
    pdf = client.get(url(item.code, formaat="pdf"))
    assert pdf["Content-Type"] == "application/pdf"
    assert "Wat het M50 Aspirantdorp bracht" in h.pdf_text(pdf.content)


def test_a_participants_start_page_has_no_report_links(client, user_for_role):
    item = h.aspirant_only()
    client.force_login(user_for_role(Role.PARTICIPANT, municipality=item))
    html = client.get(reverse("core:home")).content.decode()
    assert "Gemeente Aspirantdorp in het M50" in html
    assert url(item.code) not in html
    assert reverse("reports:council_memo", args=[item.code]) not in html
