"""Public pages and API responses that change rarely: validators (ETag, Last-Modified) from the
data versions, 304 to a conditional request, and the rendered page cached for anonymous
visitors only (m50.core.conditional)."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.contrib.admin.sites import site as admin_site
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from m50.accounts.models import Role
from m50.core import conditional
from m50.core.models import DataVersion
from m50.core.versions import MEMBERS, REGISTRY, data_version_bump, data_versions
from m50.membership import services as membership_services
from m50.membership.models import DecidingBody, DecisionKind, Membership
from m50.municipalities import services as registry_services
from m50.municipalities.models import Municipality, Network
from tests.factories import MunicipalityFactory, NetworkMembershipFactory
from tests.membership.builders import aspirant, bulk_memberships, diemen, municipality

pytestmark = pytest.mark.django_db

LIST = reverse("municipalities:list")
OVERVIEW = reverse("membership:overview")
HOME = reverse("core:home")
DETAIL = reverse("municipalities:detail", args=["GM0384"])
API_MUNICIPALITIES = "/api/v1/gemeenten"
API_MUNICIPALITY = "/api/v1/gemeenten/GM0384"
API_MEMBERSHIPS = "/api/v1/lidmaatschappen"
API_MEMBERSHIP = "/api/v1/lidmaatschappen/GM0384"
PAGES = [LIST, OVERVIEW, HOME, DETAIL]
API = [API_MUNICIPALITIES, API_MUNICIPALITY, API_MEMBERSHIPS, API_MEMBERSHIP]
CBS_HEADER = (
    "peildatum,gm_code,gemeentenaam,provincie_code,provincie,inwoners,cbs_tabel,cbs_variabele"
)


@pytest.fixture
def sample(db):
    """Diemen with its real dossier, and Houten with an empty one (through the services)."""
    item = diemen()
    membership_services.membership_for(municipality=municipality("Houten", "GM0321", 50_800))
    return item


def get(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    response.queries = len(queries)
    return response


def etag(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response["ETag"]


def csrf_free(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


# --- Validators and 304 ---------------------------------------------------------------------


@pytest.mark.parametrize("url", PAGES + API)
def test_public_responses_carry_validators(client, sample, url):
    response = client.get(url)
    assert response.status_code == 200
    assert re.fullmatch(r'W/"[0-9a-f]{32}"', response["ETag"])
    assert response["Last-Modified"].endswith(" GMT")
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-cache"} <= cache_control
    assert "Cookie" in response["Vary"]


@pytest.mark.parametrize("url", PAGES + API)
def test_if_none_match_gets_304_with_one_query(client, sample, url):
    first = client.get(url)
    response = get(client, url, if_none_match=first["ETag"])
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == first["ETag"]
    assert response.queries == 1  # the data versions, before any page work


@pytest.mark.parametrize("url", [LIST, API_MEMBERSHIPS])
def test_if_modified_since_gets_304(client, sample, url):
    first = client.get(url)
    response = get(client, url, if_modified_since=first["Last-Modified"])
    assert response.status_code == 304
    assert response.queries == 1


def test_a_stale_etag_gets_the_page(client, sample):
    response = client.get(LIST, headers={"if-none-match": 'W/"0123456789abcdef0123456789abcdef"'})
    assert response.status_code == 200
    assert "Houten" in response.text


def test_last_modified_is_the_last_write_or_else_midnight(client, sample):
    response = client.get(OVERVIEW)
    changed = DataVersion.objects.get(name=MEMBERS).changed_at
    last_modified = datetime.datetime.strptime(
        response["Last-Modified"], "%a, %d %b %Y %H:%M:%S GMT"
    )
    midnight = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time()))
    expected = max(changed, midnight).astimezone(datetime.UTC).replace(microsecond=0, tzinfo=None)
    assert last_modified == expected


def test_the_etag_does_not_outlive_the_day(client, sample, monkeypatch):
    today = timezone.localdate()
    first = etag(client, OVERVIEW)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: today + datetime.timedelta(days=1))
    response = client.get(OVERVIEW, headers={"if-none-match": first})
    assert response.status_code == 200
    assert response["ETag"] != first


def test_a_logged_in_page_gets_validators_that_name_the_user(client, sample, user_for_role):
    anonymous = etag(client, LIST)
    bureau = user_for_role(Role.BUREAU)
    client.force_login(bureau)
    as_bureau = get(client, LIST)
    assert as_bureau["ETag"] != anonymous
    assert get(client, LIST, if_none_match=as_bureau["ETag"]).status_code == 304
    # Another user (of another role, or the same role) never gets a 304 on the bureau's ETag.
    for role in (Role.PARTICIPANT, Role.BUREAU):
        other = Client()
        other.cookies = client.cookies  # the same CSRF secret: only the user differs
        other.force_login(user_for_role(role))
        assert other.get(LIST, headers={"if-none-match": as_bureau["ETag"]}).status_code == 200


def test_the_detail_page_has_no_validators_for_a_logged_in_user(client, sample, user_for_role):
    # Logged in, it shows people, invoices and proposals, which the data versions do not cover.
    client.force_login(user_for_role(Role.BUREAU))
    response = client.get(DETAIL)
    assert response.status_code == 200
    assert "ETag" not in response


def test_languages_get_their_own_etag_and_body(client, sample):
    dutch = client.get(LIST)
    client.cookies["django_language"] = "en"
    english = client.get(LIST)
    assert english["ETag"] != dutch["ETag"]
    assert '<html lang="en"' in english.text and '<html lang="nl"' in dutch.text
    assert client.get(LIST, headers={"if-none-match": dutch["ETag"]}).status_code == 200


def test_the_query_string_is_part_of_the_etag(client, sample):
    assert etag(client, LIST) != etag(client, LIST + "?zoek=Diemen")


# --- Every write that changes what the public pages show changes the ETag -------------------


def _cbs_file(inhabitants: int) -> io.StringIO:
    line = f"2025-01-01,GM0384,Diemen,PV27,Noord-Holland,{inhabitants},37259NED,Bevolking_1"
    file = io.StringIO(f"{CBS_HEADER}\n{line}\n")
    file.name = "bevolking.csv"
    return file


def _population_import(sample):
    registry_services.population_import(file=_cbs_file(33_412))


def _population_correction(sample):
    registry_services.population_import(file=_cbs_file(33_412))
    return lambda: registry_services.population_import(file=_cbs_file(33_500))


def _decision(sample):
    houten = Municipality.objects.get(code="GM0321")
    aspirant(houten, timezone.localdate() - datetime.timedelta(days=10))


def _document_update(sample):
    decision = Membership.objects.get(municipality=sample).decisions.order_by("pk").first()
    membership_services.decision_document_update(
        decision=decision, expected_version=decision.version, document_number="2022-123"
    )


def _correction(sample):
    decision = Membership.objects.get(municipality=sample).decisions.order_by("pk").last()
    membership_services.decision_correct(decision=decision, decided_on=datetime.date(2023, 5, 15))


def _withdrawal(sample):
    decision = Membership.objects.get(municipality=sample).decisions.order_by("pk").last()
    membership_services.decision_withdraw(decision=decision, reason="verkeerd dossier")


def _listed_member(sample):
    zeist = MunicipalityFactory(code="GM0355", name="Zeist")
    NetworkMembershipFactory(network=Network.objects.get(code="M50"), municipality=zeist)
    membership_services.membership_reference_load()


def _new_membership(sample):
    membership_services.membership_for(municipality=MunicipalityFactory(code="GM0355"))


def _admin_edit(sample):
    admin = admin_site._registry[Municipality]
    houten = Municipality.objects.get(code="GM0321")
    houten.name = "Houten (U)"
    with transaction.atomic():
        admin.save_model(None, houten, None, True)


WRITES = {
    "population import": (_population_import, REGISTRY),
    "decision": (_decision, MEMBERS),
    "document update": (_document_update, MEMBERS),
    "correction": (_correction, MEMBERS),
    "withdrawal": (_withdrawal, MEMBERS),
    "member list load": (_listed_member, MEMBERS),
    "new membership": (_new_membership, MEMBERS),
    "admin edit": (_admin_edit, REGISTRY),
}
# Which pages show which data.
SHOWS = {
    LIST: {REGISTRY},
    HOME: {REGISTRY},
    API_MUNICIPALITIES: {REGISTRY},
    API_MUNICIPALITY: {REGISTRY},
    OVERVIEW: {REGISTRY, MEMBERS},
    DETAIL: {REGISTRY, MEMBERS},
    API_MEMBERSHIPS: {REGISTRY, MEMBERS},
    API_MEMBERSHIP: {REGISTRY, MEMBERS},
}


@pytest.mark.parametrize("write", WRITES, ids=list(WRITES))
def test_each_write_changes_the_etag_of_the_pages_that_show_it(sample, write):
    do, name = WRITES[write]
    client, api_client = Client(), APIClient()
    before = {url: etag(api_client if url.startswith("/api/") else client, url) for url in SHOWS}
    do(sample)
    after = {url: etag(api_client if url.startswith("/api/") else client, url) for url in SHOWS}
    for url, names in SHOWS.items():
        assert (before[url] != after[url]) == (name in names), url


def test_a_write_changes_the_page_and_a_conditional_request_gets_it(client, sample, page_cache):
    first = client.get(OVERVIEW)
    assert "Houten" not in first.text
    _decision(sample)
    response = client.get(OVERVIEW, headers={"if-none-match": first["ETag"]})
    assert response.status_code == 200
    assert "Houten" in response.text


def test_a_correction_of_the_population_changes_the_etag(client, sample):
    correct = _population_correction(sample)
    before = etag(client, DETAIL)
    correct()
    response = client.get(DETAIL)
    assert response["ETag"] != before
    assert "33.500" in response.text


def test_a_refused_write_changes_no_version(sample):
    before = data_versions([MEMBERS, REGISTRY])
    membership = Membership.objects.get(municipality=sample)
    with pytest.raises(membership_services.DecisionRefused):
        membership_services.decision_record(
            membership=membership,
            kind=DecisionKind.ASPIRANT,
            deciding_body=DecidingBody.COLLEGE,
            decided_on=datetime.date(1990, 1, 1),
        )
    assert data_versions([MEMBERS, REGISTRY]) == before


def test_a_rolled_back_bump_bumps_nothing(db):
    data_version_bump(names=[REGISTRY])
    before = data_versions([REGISTRY])
    with pytest.raises(RuntimeError), transaction.atomic():
        data_version_bump(names=[REGISTRY, "nieuw"])
        raise RuntimeError
    assert data_versions([REGISTRY, "nieuw"]) == {REGISTRY: before[REGISTRY], "nieuw": (0, None)}
    data_version_bump(names=[REGISTRY])
    assert data_versions([REGISTRY])[REGISTRY].version == before[REGISTRY].version + 1


def test_the_reference_load_changes_the_version_only_when_it_changes_data(db, settings):
    registry_services.reference_data_load(data_dir=settings.DATA_DIR)
    membership_services.membership_reference_load()
    loaded = data_versions([REGISTRY, MEMBERS])
    registry_services.reference_data_load(data_dir=settings.DATA_DIR)
    membership_services.membership_reference_load()
    assert data_versions([REGISTRY, MEMBERS]) == loaded
    # A name changed behind the loader's back is put right, and that is a change.
    Municipality.objects.filter(code="GM0384").update(name="Diemen (oud)")
    registry_services.reference_data_load(data_dir=settings.DATA_DIR)
    assert data_versions([REGISTRY])[REGISTRY].version == loaded[REGISTRY].version + 1


# --- The rendered cache: anonymous visitors only ---------------------------------------------


@pytest.mark.parametrize("url", PAGES + API)
def test_a_cached_anonymous_response_costs_one_query(sample, page_cache, url):
    client = APIClient() if url.startswith("/api/") else Client()
    first = get(client, url)
    second = get(Client() if not url.startswith("/api/") else APIClient(), url)
    assert first.queries > 1
    assert second.queries == 1  # the data versions
    assert second.status_code == 200
    assert csrf_free(second.content.decode()) == csrf_free(first.content.decode())
    assert second["ETag"] != "" and second["Content-Type"] == first["Content-Type"]


def test_the_cache_is_renewed_by_a_write(client, sample, page_cache):
    assert "Houten" not in client.get(OVERVIEW).text
    _decision(sample)
    assert "Houten" in Client().get(OVERVIEW).text


def test_a_logged_in_user_never_gets_the_anonymous_page_nor_the_reverse(
    sample, page_cache, user_for_role
):
    anonymous = Client()
    assert "Ingelogd als" not in anonymous.get(LIST).text
    bureau = Client()
    bureau.force_login(user_for_role(Role.BUREAU, username="bureaumedewerker"))
    as_bureau = get(bureau, LIST)
    assert "bureaumedewerker" in as_bureau.text
    assert as_bureau.queries > 3  # rendered: session, user, versions, then the page's own
    again = get(bureau, LIST)
    assert "bureaumedewerker" in again.text and again.queries == as_bureau.queries
    later = get(Client(), LIST)
    assert "bureaumedewerker" not in later.text and "Ingelogd als" not in later.text
    assert later.queries == 1


def test_a_token_caller_gets_no_cached_response_and_its_own_etag(sample, page_cache, user_for_role):
    from rest_framework.authtoken.models import Token

    anonymous = get(APIClient(), API_MEMBERSHIPS)
    caller = APIClient()
    caller.credentials(
        HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user_for_role(Role.PARTICIPANT))}"
    )
    response = get(caller, API_MEMBERSHIPS)
    assert response.json() == anonymous.json()
    assert response["ETag"] != anonymous["ETag"]
    assert response.queries > 2  # the token, the versions and the list: not the cache


def test_each_visitor_gets_its_own_csrf_token_in_a_cached_page(sample, page_cache):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_page = first.get(LIST).text
    second_page = get(second, LIST)
    assert second_page.queries == 1
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', second_page.text).group(1)
    assert token not in first_page
    assert conditional.CSRF_PLACEHOLDER.decode() not in second_page.text
    # The token of the cached page works for its visitor: the language form posts.
    response = second.post(
        reverse("set_language"), {"language": "en", "next": LIST, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert '<html lang="en"' in second.get(LIST).text


def test_a_visitor_whose_csrf_cookie_changed_gets_the_page_again(client, sample):
    first = client.get(LIST)
    client.cookies["csrftoken"] = "x" * 32
    assert client.get(LIST, headers={"if-none-match": first["ETag"]}).status_code == 200


def test_a_page_with_a_pending_message_is_rendered_and_shows_it(client, sample, page_cache):
    first = client.get(LIST)
    # Logging out leaves a message for the next page, when there is one; make one here.
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpRequest, HttpResponse

    storage = CookieStorage(HttpRequest())
    carrier = HttpResponse()
    storage._store([Message(20, "Een bericht voor deze bezoeker")], carrier)
    client.cookies["messages"] = carrier.cookies["messages"].value
    response = client.get(LIST, headers={"if-none-match": first["ETag"]})
    assert response.status_code == 200
    assert "Een bericht voor deze bezoeker" in response.text
    assert "Een bericht voor deze bezoeker" not in Client().get(LIST).text


# --- Cost does not grow with data ------------------------------------------------------------


@pytest.mark.parametrize("url", [OVERVIEW, API_MEMBERSHIPS, LIST, API_MUNICIPALITIES])
def test_304_and_cache_hit_cost_the_same_at_10_and_1000_rows(page_cache, url):
    counts = []
    for size, start in ((10, 1000), (990, 3000)):
        bulk_memberships(size, start=start)
        data_version_bump(names=[REGISTRY, MEMBERS])  # as the services would
        client = APIClient() if url.startswith("/api/") else Client()
        first = client.get(url)
        assert first.status_code == 200
        conditional_get = get(client, url, if_none_match=first["ETag"])
        assert conditional_get.status_code == 304
        cached = get(APIClient() if url.startswith("/api/") else Client(), url)
        assert cached.status_code == 200
        counts.append((conditional_get.queries, cached.queries))
    assert counts == [(1, 1), (1, 1)]


# --- Errors stay problems ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/v1/gemeenten?status=fout", 400),
        ("/api/v1/gemeenten/GM9999", 404),
        ("/api/v1/lidmaatschappen?gemeente=GM9999", 400),
        ("/api/v1/lidmaatschappen/GM9999", 404),
        ("/api/v1/gemeenten?page=99", 404),
    ],
)
def test_api_errors_are_still_problems_without_validators(sample, page_cache, url, status):
    for _ in range(2):  # also after a first answer could have been cached
        response = APIClient().get(url, headers={"if-none-match": "*"})
        assert response.status_code == status
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["status"] == status
        assert "ETag" not in response
        assert response["API-Version"]


def test_an_unknown_municipality_page_is_still_404(client, sample, page_cache):
    assert client.get(reverse("municipalities:detail", args=["GM9999"])).status_code == 404
    assert client.get(reverse("municipalities:detail", args=["GM9999"])).status_code == 404
