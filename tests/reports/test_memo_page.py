"""The council memo's page: the bureau and the municipality's own contact download the memo
as DOCX or PDF; anyone else finds nothing; form errors and refusals in Dutch; a fixed number
of queries whatever the number of members and rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from m50.accounts.models import Role
from m50.activities.models import Activity, Attendance
from m50.membership.models import Membership
from m50.municipalities.models import Municipality
from m50.publicaffairs.models import Interaction
from tests.reports import memo_helpers as h

pytestmark = pytest.mark.django_db

FORM = {
    "datum": "2024-06-04",
    "portefeuillehouder": "E. Boog",
    "team": "TBDA",
    "steller": "Jan Dick de Kort",
    "bestandsvorm": "docx",
}


@pytest.fixture
def member():
    h.fees()
    return h.member_via_mandate()


def url(code):
    return reverse("reports:council_memo", args=[code])


def test_the_contact_downloads_the_memo_as_docx_and_pdf(client, user_for_role, member):
    client.force_login(user_for_role(Role.MEMBER_CONTACT, municipality=member))
    page = client.get(reverse("municipalities:detail", args=[member.code]))
    assert url(member.code) in page.content.decode()
    response = client.post(url(member.code), FORM)
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["X-Content-Type-Options"] == "nosniff"
    fields = h.docx_fields(response.content)
    assert fields["Steller"] == "Jan Dick de Kort" and fields["Datum"] == "4 juni 2024"
    response = client.post(url(member.code), {**FORM, "bestandsvorm": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    assert "Jan Dick de Kort" in h.pdf_text(response.content)


def test_the_bureau_may_write_any_memo(client, user_for_role, member):
    client.force_login(user_for_role(Role.BUREAU))
    assert client.get(url(member.code)).status_code == 200
    assert client.post(url(member.code), FORM)["Content-Type"] != "text/html; charset=utf-8"


@pytest.mark.parametrize(
    "role", [Role.MEMBER_CONTACT, Role.PARTICIPANT, Role.PUBLIC_AFFAIRS, Role.PILLAR_CHAIR]
)
def test_anyone_else_finds_nothing(client, user_for_role, member, role):
    client.force_login(user_for_role(role))  # a municipal role: of another municipality
    assert client.get(url(member.code)).status_code == 404
    assert client.post(url(member.code), FORM).status_code == 404
    page = client.get(reverse("municipalities:detail", args=[member.code]))
    assert url(member.code) not in page.content.decode()


def test_the_own_participant_finds_nothing_either(client, user_for_role, member):
    client.force_login(user_for_role(Role.PARTICIPANT, municipality=member))
    assert client.get(url(member.code)).status_code == 404


def test_form_errors_are_dutch_and_nothing_is_downloaded(client, user_for_role, member):
    client.force_login(user_for_role(Role.BUREAU))
    response = client.post(
        url(member.code),
        {"datum": "30-02-2023", "van": "2024-02-01", "tot": "2024-01-01", "bestandsvorm": "rtf"},
    )
    assert response["Content-Type"] == "text/html; charset=utf-8"
    html = response.content.decode()
    assert "De brief is niet gemaakt" in html
    assert "Vul een datum in als dag-maand-jaar" in html
    assert "Vul dit veld in." in html
    assert "Kies een waarde uit de lijst; rtf bestaat niet." in html
    # No portfolio holder known: the field is required then.
    assert "Het platform kent geen burgemeester of wethouder" in html


def test_a_refusal_lists_what_is_missing(client, user_for_role):
    h.fees()
    outsider = h.municipality("Buitenstaand", "GM9010")
    client.force_login(user_for_role(Role.BUREAU))
    response = client.post(url(outsider.code), FORM)
    html = response.content.decode()
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "Er ontbreekt: een lidmaatschapsdossier van de gemeente bij het M50." in html


def _grow(member, count):
    """``count`` more members, and as many attendances, hosted activities and public-affairs
    contacts of ``member``: rows the memo reads."""
    start = Municipality.objects.count()
    others = Municipality.objects.bulk_create(
        Municipality(
            code=f"GM{start + i + 5000:04d}",
            name=f"Gemeente {start + i}",
            province_id=member.province_id,
        )
        for i in range(count)
    )
    Membership.objects.bulk_create(
        Membership(municipality=m, listed_since="2023-04") for m in others
    )
    moment = datetime.datetime(2023, 3, 1, 10, tzinfo=datetime.UTC)
    activities = Activity.objects.bulk_create(
        Activity(
            kind="ledenvergadering",
            title=f"Bijeenkomst {i}",
            starts_at=moment,
            ends_at=moment + datetime.timedelta(hours=2),
            host_municipality=member,
        )
        for i in range(count)
    )
    Attendance.objects.bulk_create(
        Attendance(activity=a, name="Deelnemer", municipality=member, year=2023) for a in activities
    )
    Interaction.objects.bulk_create(
        Interaction(
            kind="werkbezoek", date=datetime.date(2023, 4, 1), subject="Bezoek", municipality=member
        )
        for _ in range(count)
    )


def _queries(client, member) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as page:
        assert client.get(url(member.code)).status_code == 200
    with CaptureQueriesContext(connection) as download:
        response = client.post(url(member.code), FORM)
    assert response["Content-Disposition"].startswith("attachment")
    return len(page), len(download)


def test_the_query_count_does_not_grow_with_the_data(client, user_for_role, member):
    client.force_login(user_for_role(Role.BUREAU))
    _grow(member, 10)
    small = _queries(client, member)
    _grow(member, 1_000)
    assert _queries(client, member) == small
