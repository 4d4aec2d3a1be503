"""The bureau's dashboard and the network's year: figures from known data set up through the
services (decisions, invoices, participations, activities, contacts, knowledge), every part
honest when it has no data, and a fixed number of queries at 10 and 1,000 members."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from m50.activities import services as activity_services
from m50.activities.models import Activity, Attendance
from m50.contacts.models import Organisation, Person, Position
from m50.finance import services as finance_services
from m50.knowledge import services as knowledge_services
from m50.knowledge.models import Form
from m50.knowledge.models import Kind as KnowledgeKind
from m50.membership import services
from m50.membership.models import DecidingBody, DecisionKind
from m50.pillars import services as pillar_services
from m50.pillars.models import Participation
from m50.publicaffairs import records
from m50.publicaffairs.models import Interaction, Motion, MotionOutcome
from m50.reports import dashboard
from tests.finance import issue
from tests.finance.test_pages import member
from tests.membership.builders import aspirant, bulk_memberships, count_queries, municipality, text
from tests.pillars.conftest import municipality_organisation, official, pillar

pytestmark = pytest.mark.django_db

D = dt.date
DASHBOARD = reverse("reports:dashboard")


def year_url(year: int) -> str:
    return reverse("reports:network_year", args=[year])


def decide(item, kind, on, body=DecidingBody.COLLEGE, **kwargs):
    return services.decision_record(
        membership=services.membership_for(municipality=item),
        kind=kind,
        deciding_body=body,
        decided_on=on,
        **kwargs,
    )


def two_dossiers():
    """Diemen: aspirant 22 August 2022 (the mayor mandated), member 16 May 2023 by the mayor.
    Houten: aspirant 1 February 2023, terminated 1 June 2023 (effective 1 January 2024)."""
    diemen = municipality("Diemen", "GM0384", 32_977)
    aspirant(diemen, D(2022, 8, 22))
    decide(diemen, DecisionKind.DEFINITIVE, D(2023, 5, 16), DecidingBody.MAYOR)
    houten = municipality("Houten", "GM0321", 50_000)
    aspirant(houten, D(2023, 2, 1))
    decide(houten, DecisionKind.TERMINATION, D(2023, 6, 1))
    return diemen, houten


def test_members_and_aspirants_over_time_follow_the_decisions():
    two_dossiers()
    data = dashboard.dashboard(today=D(2024, 5, 1))
    points = {p.day: (p.members, p.aspirants) for p in data.status_points}
    assert points[D(2022, 6, 30)] == (0, 0)
    assert points[D(2022, 9, 30)] == (0, 1)
    assert points[D(2023, 3, 31)] == (0, 2)
    assert points[D(2023, 6, 30)] == (1, 1)
    # A termination takes effect at the end of the year: Houten counts until 31 December.
    assert points[D(2023, 12, 31)] == (1, 1)
    assert points[D(2024, 3, 31)] == (1, 0)
    # The last point is today, in the quarter that runs.
    assert data.status_points[-1].day == D(2024, 5, 1)
    assert data.status_points[-1].label == "K2 2024"
    assert data.status_points[0].day == D(2021, 3, 31)


def test_a_corrected_decision_counts_as_corrected():
    houten = municipality("Houten", "GM0321", 50_000)
    wrong = aspirant(houten, D(2023, 2, 1))
    services.decision_correct(decision=wrong, decided_on=D(2023, 9, 1), effective_on=D(2023, 9, 1))
    data = dashboard.dashboard(today=D(2024, 1, 15))
    points = {p.day: p.aspirants for p in data.status_points}
    assert points[D(2023, 6, 30)] == 0
    assert points[D(2023, 9, 30)] == 1


def test_mandates_running_out_within_90_days_soonest_first():
    today = timezone.localdate()
    aspirant(municipality("Binnenkort", "GM0001"), today - dt.timedelta(days=300))  # 65 days
    aspirant(municipality("Morgen", "GM0002"), today - dt.timedelta(days=364))  # 1 day
    aspirant(municipality("Later", "GM0003"), today - dt.timedelta(days=200))  # 165 days
    aspirant(municipality("Verlopen", "GM0004"), today - dt.timedelta(days=380))  # past
    rows = dashboard.dashboard(today=today).mandates
    assert [(row.name, row.days_left) for row in rows] == [
        ("Morgen", (rows[0].deadline - today).days),
        ("Binnenkort", (rows[1].deadline - today).days),
    ]
    assert 0 <= rows[0].days_left < rows[1].days_left <= 90


def test_prospects_are_in_the_band_and_not_running_members():
    today = timezone.localdate()
    diemen = municipality("Diemen", "GM0384", 32_977)
    aspirant(diemen, today - dt.timedelta(days=30))
    municipality("Houten", "GM0321", 50_000)
    municipality("Zeist", "GM0355", 65_000)
    municipality("Klein", "GM0010", 12_000)
    municipality("Groot", "GM0363", 900_000)
    gone = municipality("Opgeheven", "GM0011", 40_000)
    gone.dissolved_on = D(2023, 1, 1)
    gone.save(update_fields=["dissolved_on"])
    stopped = municipality("Gestopt", "GM0012", 45_000)
    decide(stopped, DecisionKind.ASPIRANT, today - dt.timedelta(days=800))
    decide(stopped, DecisionKind.TERMINATION, today - dt.timedelta(days=700))
    data = dashboard.dashboard(today=today)
    assert [row.name for row in data.prospects] == ["Zeist", "Houten", "Gestopt"]
    assert data.prospect_count == 3
    assert data.prospects[0].inhabitants == 65_000 and data.population_year == 2024


def test_contributions_invoiced_paid_and_outstanding_per_year():
    member("Diemen", "GM0384")
    member("Houten", "GM0321")
    member("Zeist", "GM0355")
    finance_services.fee_reference_load()
    invoices = issue(finance_services.invoice_run(year=2024, issue_date=D(2024, 1, 10)))
    diemen, houten, zeist = sorted(invoices, key=lambda i: i.debtor_name)
    finance_services.payment_register(invoice=diemen, paid_on=D(2024, 2, 1), amount=diemen.total)
    finance_services.payment_register(invoice=houten, paid_on=D(2024, 2, 1), amount="1000.00")
    finance_services.invoice_credit(invoice=zeist, reason="Dubbel gefactureerd.")
    [year] = dashboard.dashboard().contributions
    total = diemen.total
    assert year.year == 2024 and year.invoices == 2
    assert year.invoiced == 2 * total
    assert year.paid == total + Decimal("1000.00")
    assert year.open == total - Decimal("1000.00")


def test_participation_heat_map_and_members_in_no_pillar():
    today = timezone.localdate()
    diemen = municipality_organisation("Diemen")
    houten = municipality_organisation("Houten")
    municipality_organisation("Zeist")
    municipality_organisation("Nooit", status="none")
    sociaal, financieel = pillar("sociaal"), pillar("financieel")
    start = D(2024, 3, 1)
    for _index in range(4):
        pillar_services.participation_register(
            position=official(diemen), pillar=sociaal, start_date=start
        )
    pillar_services.participation_register(
        position=official(diemen), pillar=financieel, start_date=start
    )
    pillar_services.participation_register(
        position=official(houten), pillar=financieel, start_date=start
    )
    participation = dashboard.participation_on(today)
    names = [column.name for column in participation.pillars]
    rows = {row.name: dict(zip(names, row.cells, strict=True)) for row in participation.rows}
    assert set(rows) == {"Diemen", "Houten", "Zeist"}
    assert rows["Diemen"]["Sociaal"] == dashboard.HeatCell(4, 3)
    assert rows["Diemen"]["Financieel"] == dashboard.HeatCell(1, 1)
    assert rows["Houten"]["Sociaal"] == dashboard.HeatCell(0, 0)
    assert rows["Houten"]["Financieel"] == dashboard.HeatCell(1, 1)
    assert [name for name, _code in participation.without_pillar] == ["Zeist"]
    counts = {c.name: (c.municipalities, c.officials) for c in participation.pillars}
    assert counts["Sociaal"] == (1, 4) and counts["Financieel"] == (2, 2)


def held(title: str, starts_at: dt.datetime, present: int, municipality=None):
    activity = activity_services.activity_create(
        actor=None,
        kind="webinar",
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=1),
    )
    for number in range(present):
        activity_services.attendance_add_walk_in(
            activity=activity, actor=None, name=f"Gast {number}", municipality=municipality
        )
    return activity


def local(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def test_attendance_per_quarter_of_activities_held():
    today = timezone.localdate()
    first = D(today.year - 1, 2, 10)
    held("Webinar wonen", local(first), 3)
    held("Webinar jeugd", local(first + dt.timedelta(days=7)), 5)
    held("Webinar geld", local(D(today.year - 1, 8, 1)), 2)
    held("Nog niet gehouden", local(today + dt.timedelta(days=20)), 0)
    rows = dashboard.dashboard(today=today).quarters
    found = {row.label: (row.activities, row.attendance) for row in rows}
    assert found[f"K1 {today.year - 1}"] == (2, 8)
    assert found[f"K2 {today.year - 1}"] == (0, 0)
    assert found[f"K3 {today.year - 1}"] == (1, 2)
    assert rows[0].label == f"K1 {today.year - 1}"
    assert rows[0].average == Decimal("4.0")


def test_public_affairs_contacts_per_month_and_motions_followed(bureau_user):
    today = timezone.localdate()
    this_month = today.replace(day=1)
    for day in (this_month, this_month, this_month - dt.timedelta(days=40)):
        records.interaction_create(
            actor=bureau_user, kind=Interaction.Kind.TALK, date=day, subject="Gesprek"
        )
    records.interaction_create(
        actor=bureau_user,
        kind=Interaction.Kind.TALK,
        date=today - dt.timedelta(days=500),
        subject="Lang geleden",
    )
    followed = Motion.objects.create(source=Motion.Source.VNG, title="Motie wonen", date=today)
    MotionOutcome.objects.create(motion=followed, outcome=MotionOutcome.Outcome.ADOPTED)
    Motion.objects.create(source=Motion.Source.VNG, title="Motie geld", date=today)
    data = dashboard.dashboard(today=today)
    assert len(data.months) == 12
    assert data.months[-1].count == 2
    assert sum(row.count for row in data.months) == 3
    assert [(m.year, m.followed, m.adopted) for m in data.motions] == [(today.year, 2, 1)]


def test_the_network_year_from_the_decisions_and_the_other_apps(bureau_user):
    two_dossiers()
    year = dashboard.network_year(year=2023, today=D(2024, 5, 1))
    assert (year.members_start, year.aspirants_start) == (0, 1)
    assert (year.members_end, year.aspirants_end) == (1, 1)
    assert year.complete and year.end == D(2023, 12, 31)
    assert [(c.name, c.day) for c in year.joined_aspirant] == [("Houten", D(2023, 2, 1))]
    assert [(c.name, c.day) for c in year.joined_member] == [("Diemen", D(2023, 5, 16))]
    assert year.left == []
    assert year.contribution is None
    later = dashboard.network_year(year=2024, today=D(2024, 5, 1))
    assert [(c.name, c.day) for c in later.left] == [("Houten", D(2024, 1, 1))]
    assert not later.complete and later.end == D(2024, 5, 1)
    assert (later.members_end, later.aspirants_end) == (1, 0)


def test_the_network_year_counts_activities_contacts_and_knowledge(bureau_user):
    today = timezone.localdate()
    last = today.year - 1
    diemen = municipality_organisation("Diemen")
    houten = municipality_organisation("Houten")
    pillar_services.participation_register(
        position=official(diemen), pillar=pillar("sociaal"), start_date=D(last, 3, 1)
    )
    held("Webinar", local(D(last, 3, 3)), 2, municipality=diemen.municipality)
    held("Tweede", local(D(last, 4, 3)), 1, municipality=houten.municipality)
    held("Vorig jaar", local(D(last - 1, 4, 3)), 7)
    records.interaction_create(
        actor=bureau_user,
        kind=Interaction.Kind.WORK_VISIT,
        date=D(last, 5, 1),
        subject="Werkbezoek",
        municipality=diemen.municipality,
    )
    records.interaction_create(
        actor=bureau_user, kind=Interaction.Kind.TALK, date=D(last, 6, 1), subject="Gesprek"
    )
    item = knowledge_services.item_create(
        actor=bureau_user,
        form=Form.NOTE,
        kind=KnowledgeKind.EXAMPLE,
        title="Wijkteams",
        note_what="Een wijkteam per wijk.",
        date=D(last, 7, 1),
    )
    knowledge_services.item_accept(actor=bureau_user, item=item)
    year = dashboard.network_year(year=last, today=today)
    assert (year.activities.activities, year.activities.attendance) == (2, 3)
    assert year.activities.municipalities_present == 2
    assert year.interactions.total == 2 and year.interactions.work_visit_municipalities == 1
    assert year.knowledge_total == 1
    assert year.participating_municipalities == 1 and year.without_pillar == 1
    sociaal = next(p for p in year.pillars if p.name == "Sociaal")
    assert (sociaal.municipalities, sociaal.officials) == (1, 1)


def test_every_part_says_nothing_is_recorded_yet(client, bureau_user):
    client.force_login(bureau_user)
    page = text(client.get(DASHBOARD).content.decode())
    assert page.count("Nog niets vastgelegd.") == 8
    stand = timezone.localdate()
    assert f"Bron: besluiten in het platform, stand {stand.day} " in page
    year_page = text(client.get(year_url(stand.year)).content.decode())
    assert year_page.count("Nog niets vastgelegd.") == 5


def test_the_dashboard_shows_charts_with_their_tables_and_sources(client, bureau_user):
    today = timezone.localdate()
    diemen = municipality("Diemen", "GM0384", 32_977)
    aspirant(diemen, today - dt.timedelta(days=300))
    client.force_login(bureau_user)
    html = client.get(DASHBOARD).content.decode()
    assert 'role="img"' in html and 'id="leden-grafiek-title"' in html
    assert 'id="leden-tabel"' in html
    assert "Diemen" in html  # its mandate runs out within 90 days
    page = text(html)
    months = [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ]
    stand = f"{today.day} {months[today.month - 1]} {today.year}"
    assert f"Bron: besluiten in het platform, stand {stand}." in page
    assert "style=" not in html and "<script" not in html.split("</header>")[-1]


def test_the_bureau_home_links_to_the_dashboard(client, bureau_user):
    client.force_login(bureau_user)
    assert DASHBOARD in client.get(reverse("core:home")).content.decode()


def test_a_year_outside_the_network_or_ahead_is_not_found(client, bureau_user):
    client.force_login(bureau_user)
    assert client.get(year_url(timezone.localdate().year + 1)).status_code == 404
    assert client.get(year_url(1999)).status_code == 404


def bulk_network(count: int, start: int) -> None:
    """``count`` members (see ``bulk_memberships``), each with an official in a pillar, an
    activity held with one of its people present, a contact of public affairs and a followed
    motion; in bulk, so that 1,000 are quick."""
    memberships = bulk_memberships(count, start=start)
    today = timezone.localdate()
    organisations = Organisation.objects.bulk_create(
        Organisation(
            kind=Organisation.Kind.MUNICIPALITY,
            name=f"Gemeente {m.municipality.name}",
            slug=f"bulk-{start}-{n}",
            municipality=m.municipality,
        )
        for n, m in enumerate(memberships)
    )
    people = Person.objects.bulk_create(Person(surname=f"Bulk {start + n}") for n in range(count))
    positions = Position.objects.bulk_create(
        Position(
            person=person,
            organisation=organisation,
            function=Position.Function.ALDERMAN,
            start_date=D(2020, 1, 1),
        )
        for person, organisation in zip(people, organisations, strict=True)
    )
    pillars = [pillar("sociaal"), pillar("financieel"), pillar("ruimtelijk")]
    Participation.objects.bulk_create(
        Participation(
            position=position,
            pillar=pillars[n % 3],
            category="bestuurder",
            start_date=today - dt.timedelta(days=30),
        )
        for n, position in enumerate(positions)
        if n % 4
    )
    moments = [local(today - dt.timedelta(days=10 + n % 700)) for n in range(count)]
    activities = Activity.objects.bulk_create(
        Activity(
            kind="webinar",
            title=f"Bulk {start + n}",
            starts_at=at,
            ends_at=at + dt.timedelta(hours=1),
        )
        for n, at in enumerate(moments)
    )
    Attendance.objects.bulk_create(
        Attendance(
            activity=activity,
            person=person,
            name=person.surname,
            municipality=organisation.municipality,
            year=activity.starts_at.year,
        )
        for activity, person, organisation in zip(activities, people, organisations, strict=True)
    )
    Interaction.objects.bulk_create(
        Interaction(
            kind=Interaction.Kind.TALK,
            date=today - dt.timedelta(days=n % 400),
            subject=f"Gesprek {start + n}",
            municipality=organisation.municipality,
        )
        for n, organisation in enumerate(organisations)
    )
    Motion.objects.bulk_create(
        Motion(source=Motion.Source.VNG, title=f"Motie {start + n}", date=today)
        for n in range(count)
    )


def test_query_counts_are_the_same_at_10_and_1000_members(client, bureau_user):
    client.force_login(bureau_user)
    bulk_network(10, 1000)
    urls = [DASHBOARD, year_url(timezone.localdate().year)]
    small = [count_queries(client, url) for url in urls]
    bulk_network(990, 1010)
    assert [count_queries(client, url) for url in urls] == small
    page = client.get(DASHBOARD).content.decode()
    assert "Bulkgemeente 1999" in page and 'id="contacten-tabel"' in page


def test_the_year_page_names_who_joined_and_left(client, bureau_user):
    two_dossiers()
    client.force_login(bureau_user)
    page = text(client.get(year_url(2023)).content.decode())
    assert "Het netwerk in 2023" in page
    assert "Aspirant-lid geworden 1: Houten (1 februari 2023)" in page
    assert "Definitief lid geworden 1: Diemen (16 mei 2023)" in page
    assert "Lidmaatschap beëindigd 0" in page
    assert "Bron: besluiten in het platform, stand 31 december 2023." in page
    later = text(client.get(year_url(2024)).content.decode())
    assert "Lidmaatschap beëindigd 1: Houten (1 januari 2024)" in later


def test_a_chart_has_a_bar_per_value_on_an_axis_from_zero():
    from m50.reports.dashboard_charts import Series, grouped_bar_chart

    assert (
        grouped_bar_chart(chart_id="x", title="", description="", categories=[], series=[]) is None
    )
    chart = grouped_bar_chart(
        chart_id="x",
        title="Titel",
        description="Beschrijving",
        categories=[("K1", "2026"), ("K2", "")],
        series=[Series("leden", "a", [10, 0]), Series("aspirant-leden", "b", [5, 2])],
    )
    assert [bar.css for bar in chart.bars] == ["a", "b", "a", "b"]
    assert chart.ticks[0].label == "0" and float(chart.ticks[-1].y) < float(chart.bars[0].y)
    assert float(chart.bars[2].height) == 0  # a zero is drawn flat, on the axis
    assert [c.sub for c in chart.categories] == ["2026", ""]
