"""/api/v1/facturen: the bureau reads every invoice, a member contact its own municipality's."""

import datetime
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from m50.accounts.models import Role
from m50.finance import services
from m50.finance.models import Invoice, Payment
from m50.membership import services as membership_services
from m50.membership.models import DecidingBody, DecisionKind, Membership
from m50.membership.projection import status_periods_rebuild
from m50.membership.services import membership_listed_create
from m50.municipalities.models import Municipality

pytestmark = pytest.mark.django_db

LIST = "/api/v1/facturen"
D = datetime.date
MONEY = re.compile(r"^-?[0-9]+\.[0-9]{2}$")
MONEY_FIELDS = ("amount", "vatAmount", "total", "paid", "open")
# The draft has no number yet; the bureau sees it last.
ALL_NUMBERS = [
    "2023-0001",
    "2023-0002",
    "2024-0001",
    "2024-0002",
    "2024-0003",
    "2024-0004",
    None,
]
DIEMEN_NUMBERS = ["2023-0001", "2024-0001"]


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response["API-Version"] == settings.API_VERSION
    problem = response.json()
    assert problem["status"] == status
    return problem


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def numbers(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["number"] for item in response.json()["results"]]


@pytest.fixture
def invoices(registry):
    """Diemen (definitive since 2023-05-16) and Zeist (listed 2023-04) owe 2023 and 2024;
    Houten and Wijdemeren (listed 2024-01) owe 2024. One invoice in every status:

    2023-0001 Diemen 2023 betaald · 2023-0002 Zeist 2023 gecrediteerd by 2024-0004 ·
    2024-0001 Diemen 2024 te-laat, partly paid · 2024-0002 Houten verzonden ·
    2024-0003 Zeist deels-betaald · 2024-0004 creditnota · Wijdemeren's 2024 concept (no
    number yet).
    """
    services.fee_reference_load()
    diemen = membership_services.membership_for(municipality=registry["diemen"])
    membership_services.decision_record(
        membership=diemen,
        kind=DecisionKind.ASPIRANT,
        deciding_body=DecidingBody.COLLEGE,
        decided_on=D(2022, 8, 22),
        mandated_body=DecidingBody.MAYOR,
    )
    membership_services.decision_record(
        membership=diemen,
        kind=DecisionKind.DEFINITIVE,
        deciding_body=DecidingBody.MAYOR,
        decided_on=D(2023, 5, 16),
    )
    membership_listed_create(
        municipality=registry["zeist"], listed_since="2023-04", listed_source=""
    )
    membership_listed_create(
        municipality=registry["houten"], listed_since="2024-01", listed_source=""
    )
    membership_listed_create(
        municipality=registry["wijdemeren"], listed_since="2024-01", listed_source=""
    )
    services.billing_details_update(
        municipality=registry["diemen"],
        address_line="Wilhelminaplantsoen 1",
        postal_code="1111 CA",
        city="Diemen",
        email="facturen@diemen.example",
        contact_name="A. de Vries",
        purchase_order="PO-2024-17",
    )
    created = services.invoice_run(year=2023, issue_date=D(2023, 6, 1))
    created += services.invoice_run(year=2024, issue_date=D(2024, 1, 15))
    # Sent, and so numbered, in this order; Wijdemeren's stays a draft.
    created = [
        services.invoice_mark_sent(invoice=invoice, recipients=["f@example.org"])
        for invoice in created
        if invoice.membership.municipality.name != "Wijdemeren"
    ]
    by_number = {invoice.number: invoice for invoice in created}
    assert sorted(by_number) == ALL_NUMBERS[:-2]
    services.payment_register(
        invoice=by_number["2023-0001"], paid_on=D(2023, 6, 20), amount=Decimal("5000.00")
    )
    services.payment_register(
        invoice=by_number["2024-0001"], paid_on=D(2024, 2, 1), amount=Decimal("1000.00")
    )
    services.payment_register(
        invoice=by_number["2024-0003"], paid_on=D(2024, 2, 1), amount=Decimal("1250.50")
    )
    services.invoice_credit(
        invoice=by_number["2023-0002"], reason="Verkeerde debiteur.", issue_date=D(2024, 2, 1)
    )
    # Still open, not yet due: sent ones are overdue otherwise.
    due = timezone.localdate() + datetime.timedelta(days=30)
    Invoice.objects.filter(number__in=["2024-0002", "2024-0003"]).update(due_date=due)
    return due


@pytest.fixture
def bureau(user_for_role, invoices):
    return client_for(user_for_role(Role.BUREAU))


@pytest.fixture
def diemen_contact(user_for_role, registry, invoices):
    return client_for(user_for_role(Role.MEMBER_CONTACT, municipality=registry["diemen"]))


# --- Who reads what -------------------------------------------------------------------------


def test_the_bureau_reads_every_invoice_by_number(bureau):
    response = bureau.get(LIST)
    assert response["Content-Type"] == "application/json"
    assert response["API-Version"] == settings.API_VERSION
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == len(ALL_NUMBERS)
    assert numbers(response) == ALL_NUMBERS
    for number in ALL_NUMBERS[:-1]:
        assert bureau.get(f"{LIST}/{number}").json()["number"] == number


def test_a_member_contact_reads_its_own_municipality_only(diemen_contact):
    assert numbers(diemen_contact.get(LIST)) == DIEMEN_NUMBERS
    assert numbers(diemen_contact.get(LIST, {"gemeente": "GM0355"})) == []
    assert diemen_contact.get(f"{LIST}/2024-0001").json()["municipalityCode"] == "GM0384"


@pytest.mark.parametrize("number", ["2023-0002", "2024-0003", "2024-0004"])
def test_another_municipalitys_invoice_is_a_404_for_a_member_contact(diemen_contact, number):
    problem = assert_problem(diemen_contact.get(f"{LIST}/{number}"), 404)
    assert problem["title"] == "Niet gevonden"
    assert number in problem["detail"]  # the number asked for, nothing about its owner
    # Exactly as a number that does not exist.
    unknown = assert_problem(diemen_contact.get(f"{LIST}/2024-0999"), 404)
    assert problem["detail"].replace(number, "X") == unknown["detail"].replace("2024-0999", "X")


def test_a_member_contact_without_invoices_gets_an_empty_list(user_for_role, invoices):
    client = client_for(user_for_role(Role.MEMBER_CONTACT))  # of a municipality of its own
    response = client.get(LIST)
    assert response.json()["count"] == 0
    assert_problem(client.get(f"{LIST}/2024-0001"), 404)


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.PUBLIC_AFFAIRS, Role.PILLAR_CHAIR])
def test_other_roles_are_refused_with_403(user_for_role, registry, invoices, role):
    kwargs = {"municipality": registry["diemen"]} if role == Role.PARTICIPANT else {}
    client = client_for(user_for_role(role, **kwargs))
    for url in (LIST, f"{LIST}/2024-0001", f"{LIST}/2024-0999"):
        problem = assert_problem(client.get(url), 403)
        assert problem["title"] == "Geen toegang"


def test_anonymous_is_401_with_www_authenticate(api_client, invoices):
    for url in (LIST, f"{LIST}/2024-0001"):
        response = api_client.get(url)
        assert_problem(response, 401)
        assert response["WWW-Authenticate"] == "Token"


def test_a_session_works_as_a_token_does(client, user_for_role, invoices):
    client.force_login(user_for_role(Role.BUREAU))
    assert numbers(client.get(LIST)) == ALL_NUMBERS


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_read_only(bureau, method):
    for url in (LIST, f"{LIST}/2024-0001"):
        assert_problem(getattr(bureau, method)(url, {}, format="json"), 405)


# --- What an invoice says -------------------------------------------------------------------


def test_an_overdue_partly_paid_invoice_with_its_debtor(bureau):
    sent_at = Invoice.objects.get(number="2024-0001").sent_at
    assert bureau.get(f"{LIST}/2024-0001").json() == {
        "number": "2024-0001",
        "kind": "factuur",
        "municipalityCode": "GM0384",
        "contributionYear": 2024,
        "issueDate": "2024-01-15",
        "dueDate": "2024-02-14",
        "amount": "5000.00",
        "vatCategory": "O",
        "vatAmount": "0.00",
        "total": "5000.00",
        "paid": "1000.00",
        "open": "4000.00",
        "status": "te-laat",
        "credits": None,
        "creditedBy": None,
        "debtor": {
            "name": "Gemeente Diemen",
            "addressLine": "Wilhelminaplantsoen 1",
            "postalCode": "1111 CA",
            "city": "Diemen",
            "oin": "00000001002306608000",
            "kvk": "34366000",
            "contact": "A. de Vries",
            "email": "facturen@diemen.example",
        },
        "purchaseOrder": "PO-2024-17",
        "sentAt": timezone.localtime(sent_at).isoformat(),
    }


def test_a_draft_has_no_number_nor_send_date_and_an_unknown_detail_is_null(bureau):
    [body] = [item for item in bureau.get(LIST).json()["results"] if item["number"] is None]
    assert (body["status"], body["sentAt"], body["paid"], body["open"]) == (
        "concept",
        None,
        "0.00",
        "5000.00",
    )
    assert body["debtor"] == {
        "name": "Gemeente Wijdemeren",
        "addressLine": None,
        "postalCode": None,
        "city": None,
        "oin": None,
        "kvk": None,
        "contact": None,
        "email": None,
    }
    assert body["purchaseOrder"] is None


def test_a_credit_note_and_the_invoice_it_credits_name_each_other(bureau):
    credited = bureau.get(f"{LIST}/2023-0002").json()
    note = bureau.get(f"{LIST}/2024-0004").json()
    assert (credited["status"], credited["creditedBy"], credited["credits"]) == (
        "gecrediteerd",
        "2024-0004",
        None,
    )
    assert credited["open"] == "0.00"
    assert (note["kind"], note["status"], note["credits"], note["creditedBy"]) == (
        "creditnota",
        "creditnota",
        "2023-0002",
        None,
    )
    assert (note["contributionYear"], note["amount"], note["total"], note["open"]) == (
        2023,
        "-5000.00",
        "-5000.00",
        "0.00",
    )


def test_money_is_a_string_with_two_decimals_never_a_float(bureau):
    for item in bureau.get(LIST).json()["results"]:
        for name in MONEY_FIELDS:
            assert isinstance(item[name], str), (item["number"], name)
            assert MONEY.match(item[name]), (item["number"], name, item[name])
    # Cents are kept exactly.
    body = bureau.get(f"{LIST}/2024-0003").json()
    assert (body["paid"], body["open"], body["status"]) == ("1250.50", "3749.50", "deels-betaald")


# --- Filters --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        # The contribution year: the credit note of 2024 is about 2023.
        ({"jaar": 2023}, ["2023-0001", "2023-0002", "2024-0004"]),
        ({"jaar": 2024}, ["2024-0001", "2024-0002", "2024-0003", None]),
        ({"jaar": 2025}, []),
        ({"status": "concept"}, [None]),
        ({"status": "verzonden"}, ["2024-0002"]),
        ({"status": "deels-betaald"}, ["2024-0003"]),
        ({"status": "betaald"}, ["2023-0001"]),
        ({"status": "te-laat"}, ["2024-0001"]),
        ({"status": "gecrediteerd"}, ["2023-0002"]),
        ({"status": "creditnota"}, ["2024-0004"]),
        ({"gemeente": "GM0384"}, DIEMEN_NUMBERS),
        ({"gemeente": "gm0355"}, ["2023-0002", "2024-0003", "2024-0004"]),
        ({"gemeente": "GM0457"}, []),  # Weesp: known, without invoices
        ({"gemeente": "GM0355", "jaar": 2024, "status": "deels-betaald"}, ["2024-0003"]),
        ({"gemeente": "GM0355", "status": "betaald"}, []),
        ({"jaar": "", "status": "", "gemeente": ""}, ALL_NUMBERS),
    ],
)
def test_list_filters(bureau, params, expected):
    assert numbers(bureau.get(LIST, params)) == expected


def test_filters_stay_within_a_member_contacts_own_invoices(diemen_contact):
    assert numbers(diemen_contact.get(LIST, {"status": "betaald"})) == ["2023-0001"]
    assert numbers(diemen_contact.get(LIST, {"status": "deels-betaald"})) == []
    assert numbers(diemen_contact.get(LIST, {"jaar": 2024})) == ["2024-0001"]


def test_the_status_filter_pages_like_any_other(bureau):
    response = bureau.get(LIST, {"status": "verzonden", "pageSize": 1})
    assert response.json()["count"] == 1
    assert_problem(bureau.get(LIST, {"status": "verzonden", "page": 2}), 404)


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("jaar", "2024a"),
        ("jaar", "1999"),
        ("jaar", "2100"),
        ("status", "paid"),
        ("status", "deels betaald"),
        ("status", "Betaald"),
        ("gemeente", "GM9999"),
        ("gemeente", "Diemen"),
    ],
)
def test_invalid_filter_is_400_naming_it(bureau, parameter, value):
    problem = assert_problem(bureau.get(LIST, {parameter: value}), 400)
    assert [param["name"] for param in problem["invalidParams"]] == [parameter]
    assert problem["title"] == "Ongeldig verzoek"


@pytest.mark.parametrize(
    "path", ["2024-0999", "2099-0001", "2024-1", "2024-00001", "24-0001", "2024-0001x", "x"]
)
def test_unknown_or_malformed_number_is_404(bureau, path):
    assert_problem(bureau.get(f"{LIST}/{path}"), 404)


# --- Cost does not grow with data -----------------------------------------------------------


def _invoices(count: int) -> None:
    """Up to ``count`` invoices in all: new members' invoices for 2025, every fourth partly
    paid, every eighth paid in two payments, every tenth credited by a credit note."""
    needed = count - Invoice.objects.count()
    credited = needed // 11
    plain = needed - credited
    existing = Municipality.objects.count()
    province = Municipality.objects.first().province
    municipalities = Municipality.objects.bulk_create(
        Municipality(code=f"GM{3000 + existing + n:04d}", name=f"Lid {n:04d}", province=province)
        for n in range(plain)
    )
    memberships = Membership.objects.bulk_create(
        Membership(municipality=municipality, listed_since="2023-04")
        for municipality in municipalities
    )
    status_periods_rebuild()
    base = Invoice.objects.filter(year=2025).count()

    def invoice(n: int, membership, **kwargs) -> Invoice:
        values = {
            "number": f"2025-{base + n + 1:04d}",
            "year": 2025,
            "sequence": base + n + 1,
            "membership": membership,
            "fee_year": 2025,
            "issue_date": D(2025, 1, 10),
            "due_date": D(2025, 2, 9),
            "amount": Decimal("5000.00"),
            "vat_category": "O",
            "vat_rate": Decimal("0"),
            "vat_amount": Decimal("0.00"),
            "total": Decimal("5000.00"),
            "description": "Contributie",
            "state": Invoice.State.SENT,
            "debtor_name": membership.municipality.name,
        }
        values.update(kwargs)
        return Invoice(**values)

    created = Invoice.objects.bulk_create(
        invoice(n, membership, credited=n < credited) for n, membership in enumerate(memberships)
    )
    Invoice.objects.bulk_create(
        invoice(
            plain + n,
            original.membership,
            kind=Invoice.Kind.CREDIT_NOTE,
            credits=original,
            amount=Decimal("-5000.00"),
            total=Decimal("-5000.00"),
        )
        for n, original in enumerate(created[:credited])
    )
    Payment.objects.bulk_create(
        Payment(invoice=each, paid_on=D(2025, 2, 1), amount=Decimal("100.00"))
        for each in created[credited::4]
    )
    Payment.objects.bulk_create(
        Payment(invoice=each, paid_on=paid_on, amount=Decimal("2500.00"))
        for each in created[credited + 2 :: 8]
        for paid_on in (D(2025, 1, 20), D(2025, 2, 1))
    )
    services.invoice_paid_rebuild()  # the payments were booked in bulk, past the services


@pytest.mark.parametrize(
    ("params", "expected_queries"),
    [
        # The token; the data versions, the count (once per version of the data) and the page.
        ({}, 4),
        ({"pageSize": 500}, 4),
        ({"pageSize": 5, "page": 2}, 4),
        ({"jaar": 2025, "pageSize": 3}, 4),
        # The status filters on the stored paid amount, in the database.
        ({"status": "te-laat"}, 4),
        ({"status": "betaald"}, 4),
        ({"status": "gecrediteerd", "pageSize": 2}, 4),
        # + the look-up of the municipality.
        ({"gemeente": "GM0384"}, 5),
    ],
)
def test_list_query_count_does_not_grow(bureau, params, expected_queries):
    counts = []
    for size in (10, 1_000):
        _invoices(size)
        assert Invoice.objects.count() == size
        with CaptureQueriesContext(connection) as queries:
            response = bureau.get(LIST, params)
        assert response.status_code == 200, response.content
        assert response.json()["results"], "the list must not be empty, or it proves nothing"
        counts.append(len(queries))
    assert counts[0] == counts[1] == expected_queries, counts


def test_a_member_contacts_query_count_does_not_grow(diemen_contact):
    counts = []
    for size in (10, 1_000):
        _invoices(size)
        with CaptureQueriesContext(connection) as queries:
            assert numbers(diemen_contact.get(LIST)) == DIEMEN_NUMBERS
        counts.append(len(queries))
    assert counts == [4, 4]


def test_detail_query_count_does_not_grow(bureau):
    counts = []
    for size in (10, 1_000):
        _invoices(size)
        for number in ("2024-0001", "2023-0002", "2024-0004", "2025-0001"):
            with CaptureQueriesContext(connection) as queries:
                assert bureau.get(f"{LIST}/{number}").status_code == 200
            counts.append(len(queries))
    assert set(counts) == {2}, counts  # the token and the invoice


# --- The OpenAPI document -------------------------------------------------------------------


def test_the_document_describes_both_operations(api_client, db):
    document = api_client.get("/api/v1/openapi.json").json()
    listing = document["paths"]["/facturen"]["get"]
    detail = document["paths"]["/facturen/{number}"]["get"]
    assert (listing["operationId"], detail["operationId"]) == ("listInvoices", "getInvoice")
    assert sorted(c for c in listing["responses"] if c >= "400") == [
        "400",
        "401",
        "403",
        "404",
        "406",
    ]
    assert sorted(c for c in detail["responses"] if c >= "400") == ["401", "403", "404", "406"]
    for operation in (listing, detail):
        assert {} not in operation["security"]  # never anonymous
    parameters = {p["name"]: p["schema"] for p in listing["parameters"]}
    assert set(parameters) == {"jaar", "status", "gemeente", "page", "pageSize"}
    assert parameters["status"]["enum"] == [
        "concept",
        "verzonden",
        "deels-betaald",
        "betaald",
        "te-laat",
        "gecrediteerd",
        "creditnota",
    ]
    [number] = detail["parameters"]
    assert number["schema"]["pattern"] == "^20[0-9]{2}-[0-9]{4,5}$"
    schemas = document["components"]["schemas"]
    for name in MONEY_FIELDS:
        assert schemas["Invoice"]["properties"][name]["type"] == "string", name
    assert schemas["InvoiceKind"]["enum"] == ["factuur", "creditnota"]
    assert "facturen" in {tag["name"] for tag in document["tags"]}


def test_a_member_contact_does_not_see_its_municipalitys_draft(user_for_role, registry, invoices):
    client = client_for(user_for_role(Role.MEMBER_CONTACT, municipality=registry["wijdemeren"]))
    assert client.get(LIST).json()["count"] == 0
