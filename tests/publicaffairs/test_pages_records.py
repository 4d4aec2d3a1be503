"""The public affairs pages added for the network's own records (issue 12): the published
positions on the public site, and unpublishing from the dossier page."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from m50.accounts.models import Role
from m50.core.models import AuditEvent
from m50.publicaffairs import records
from tests.publicaffairs.records_helpers import audit_count, theme
from tests.publicaffairs.test_pages import _queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def lobbyist(user_for_role):
    return user_for_role(Role.PUBLIC_AFFAIRS, username="lobbyist")


@pytest.fixture
def wonen(lobbyist):
    dossier = records.dossier_create(
        actor=lobbyist, theme=theme("wonen"), goals="Intern doel: 20.000 woningen."
    )
    first = records.position_add(actor=lobbyist, dossier=dossier, text="Eerste standpunt.")
    records.position_add(actor=lobbyist, dossier=dossier, text="Tweede, nog intern.")
    records.position_publish(actor=lobbyist, version=first)
    return dossier


# --- Published positions ----------------------------------------------------------------------


def test_a_visitor_reads_the_published_version_with_its_date_and_not_the_rest(client, wonen):
    html = client.get(reverse("positions:list")).text
    assert "Wonen" in html and reverse("positions:detail", args=["wonen"]) in html
    response = client.get(reverse("positions:detail", args=["wonen"]))
    assert response.status_code == 200
    html = response.text
    assert "Eerste standpunt." in html and "Tweede, nog intern." not in html
    published_at = wonen.positions.get(number=1).published_at
    assert published_at is not None
    # The page shows the Dutch day, which differs from UTC's an hour or two before midnight.
    assert f"Gepubliceerd op {timezone.localtime(published_at).day} " in html
    # The goals are internal until public affairs marks them public.
    assert "Intern doel" not in html


def test_the_positions_are_in_the_main_menu_for_everyone(client, user_for_role, wonen):
    link = f'<a class="m50-nav__link" href="{reverse("positions:list")}">Standpunten</a>'
    assert link in client.get(reverse("core:home")).text
    client.force_login(user_for_role(Role.PARTICIPANT))
    assert link in client.get(reverse("core:home")).text


def test_the_goals_show_once_marked_public(client, lobbyist, wonen):
    client.force_login(lobbyist)
    response = client.post(
        reverse("publicaffairs:dossier_edit", args=["wonen"]),
        {"goals": "Doel: 20.000 woningen.", "goals_public": "on", "watch_terms": ""},
    )
    assert response.status_code == 302
    client.logout()
    html = client.get(reverse("positions:detail", args=["wonen"])).text
    assert "Doel: 20.000 woningen." in html


def test_a_theme_without_a_published_version_is_404(client, lobbyist):
    dossier = records.dossier_create(actor=lobbyist, theme=theme("mobiliteit"))
    records.position_add(actor=lobbyist, dossier=dossier, text="Alleen intern.")
    assert client.get(reverse("positions:detail", args=["mobiliteit"])).status_code == 404
    assert client.get(reverse("positions:detail", args=["bestaat-niet"])).status_code == 404
    assert "Alleen intern." not in client.get(reverse("positions:list")).text


def test_the_lobbyist_unpublishes_and_the_public_page_is_gone(client, lobbyist, wonen):
    client.force_login(lobbyist)
    html = client.get(reverse("publicaffairs:dossier", args=["wonen"])).text
    assert "Versie 1 staat op de openbare site" in html
    assert reverse("publicaffairs:position_unpublish", args=["wonen"]) in html
    response = client.post(reverse("publicaffairs:position_unpublish", args=["wonen"]))
    assert response.status_code == 302
    assert not wonen.positions.filter(published=True).exists()
    assert AuditEvent.objects.filter(action="publicaffairs.position_unpublish").count() == 1
    client.logout()
    assert client.get(reverse("positions:detail", args=["wonen"])).status_code == 404


@pytest.mark.parametrize("role", [r for r in Role if r not in (Role.BUREAU, Role.PUBLIC_AFFAIRS)])
def test_others_may_not_unpublish(client, user_for_role, wonen, role):
    client.force_login(user_for_role(role))
    audits = audit_count()
    html = client.get(reverse("publicaffairs:dossier", args=["wonen"])).text
    assert reverse("publicaffairs:position_unpublish", args=["wonen"]) not in html
    response = client.post(reverse("publicaffairs:position_unpublish", args=["wonen"]))
    assert response.status_code == 403
    assert wonen.positions.filter(published=True).exists() and audit_count() == audits


def _published(n: int, start: int) -> None:
    """``n`` themes with a dossier and a published position (stored directly)."""

    from m50.core.models import Theme
    from m50.publicaffairs.models import PositionVersion, ThemeDossier

    themes = Theme.objects.bulk_create(
        Theme(slug=f"thema-{i}", name=f"Thema {i}", position=100 + i)
        for i in range(start, start + n)
    )
    dossiers = ThemeDossier.objects.bulk_create(ThemeDossier(theme=t) for t in themes)
    PositionVersion.objects.bulk_create(
        PositionVersion(
            dossier=d, number=1, text="Tekst", published=True, published_at=timezone.now()
        )
        for d in dossiers
    )


def test_the_published_positions_cost_the_same_for_10_and_1000_themes(client):
    url = reverse("positions:list")
    _published(10, 0)
    few = _queries(client, url)
    _published(990, 10)
    assert _queries(client, url) == few


# --- Stakeholders -----------------------------------------------------------------------------


@pytest.fixture
def relations(lobbyist):
    """A ministry owned by the lobbyist, with a confidential talk, and a Kamerlid."""
    from m50.contacts.models import Organisation
    from m50.publicaffairs.models import Interaction
    from tests.factories import OrganisationFactory
    from tests.publicaffairs.records_helpers import fractie, mp

    szw = OrganisationFactory(kind=Organisation.Kind.MINISTRY, name="Ministerie van SZW")
    vng = OrganisationFactory(kind=Organisation.Kind.PARTNER_NETWORK, name="VNG")
    member = mp("Bontenbal", fractie("CDA"))
    records.interaction_create(
        actor=lobbyist,
        kind=Interaction.Kind.TALK,
        date=datetime.date(2026, 10, 7),
        subject="Jeugdwet",
        organisations=[szw],
        confidential_note="Geheim: SZW twijfelt",
    )
    return {
        "szw": records.stakeholder_create(
            actor=lobbyist, organisation=szw, owner=lobbyist, next_step="Vervolggesprek"
        ),
        "vng": records.stakeholder_create(actor=lobbyist, organisation=vng),
        "member": records.stakeholder_create(actor=lobbyist, member=member),
    }


@pytest.mark.parametrize("role", list(Role))
def test_every_role_reads_the_relations_without_confidential_notes(
    client, user_for_role, relations, role
):
    client.force_login(user_for_role(role))
    response = client.get(reverse("publicaffairs:stakeholder_list"))
    assert response.status_code == 200
    html = response.text
    assert "Ministerie van SZW" in html and "Bontenbal" in html and "VNG" in html
    assert "7 oktober 2026" in html and "Vervolggesprek" in html and "lobbyist" in html
    assert "Geheim" not in html
    writes = role in (Role.PUBLIC_AFFAIRS, Role.BUREAU)
    assert (reverse("publicaffairs:stakeholder_create") in html) == writes
    edit = reverse("publicaffairs:stakeholder_edit", args=[relations["szw"].pk])
    assert (edit in html) == writes


def test_the_relations_filter_by_kind_and_owner(client, lobbyist, relations):
    client.force_login(lobbyist)
    url = reverse("publicaffairs:stakeholder_list")
    html = client.get(url, {"soort": "ministry"}).text
    assert "Ministerie van SZW" in html and "Bontenbal" not in html and ">VNG<" not in html
    html = client.get(url, {"soort": "kamerlid"}).text
    assert "Bontenbal" in html and "Ministerie van SZW" not in html
    html = client.get(url, {"beheerder": lobbyist.pk}).text
    assert "Ministerie van SZW" in html and "Bontenbal" not in html
    # A filter value not in the list: said in Dutch, the list still shown.
    response = client.get(url, {"soort": "onzin"})
    assert response.status_code == 200 and "Selecteer een geldige keuze" in response.text


def test_the_owner_filter_names_only_those_who_own_a_relation(client, user_for_role, relations):
    from tests.factories import UserFactory

    UserFactory(username="contact-elders", first_name="Geheime", last_name="Naam")
    client.force_login(user_for_role(Role.PARTICIPANT))
    html = client.get(reverse("publicaffairs:stakeholder_list")).text
    assert "lobbyist" in html
    assert "contact-elders" not in html and "Geheime Naam" not in html


def test_the_lobbyist_records_and_edits_a_relation_and_bad_input_writes_nothing(
    client, lobbyist, relations
):
    from m50.contacts.models import Organisation
    from m50.publicaffairs.models import Stakeholder
    from tests.factories import OrganisationFactory

    platform31 = OrganisationFactory(kind=Organisation.Kind.KNOWLEDGE_PARTNER, name="Platform31")
    client.force_login(lobbyist)
    url = reverse("publicaffairs:stakeholder_create")
    before, audits = Stakeholder.objects.count(), audit_count()
    response = client.post(url, {"next_step": "Kennismaken"})
    assert response.status_code == 400
    assert "Kies één organisatie, één Kamerlid of één fractie." in response.text
    response = client.post(url, {"organisation": relations["szw"].organisation_id})
    assert response.status_code == 400 and "al vastgelegd" in response.text
    response = client.post(url, {"organisation": platform31.pk, "next_step_date": "31-02-2027"})
    assert response.status_code == 400 and "Vul een geldige datum in" in response.text
    assert Stakeholder.objects.count() == before and audit_count() == audits
    response = client.post(
        url, {"organisation": platform31.pk, "owner": lobbyist.pk, "next_step": "Kennismaken"}
    )
    assert response.status_code == 302
    created = Stakeholder.objects.get(organisation=platform31)
    assert created.owner == lobbyist and created.next_step == "Kennismaken"

    edit = reverse("publicaffairs:stakeholder_edit", args=[created.pk])
    assert "Kennismaken</textarea>" in client.get(edit).text
    response = client.post(
        edit, {"owner": "", "next_step": "Rapport bespreken", "next_step_date": "2027-01-15"}
    )
    assert response.status_code == 302
    created.refresh_from_db()
    assert created.owner is None and created.next_step == "Rapport bespreken"
    assert AuditEvent.objects.filter(
        action="publicaffairs.stakeholder_update", object_id=str(created.pk)
    ).exists()


def test_others_may_not_record_or_edit_a_relation(client, user_for_role, relations):
    client.force_login(user_for_role(Role.PARTICIPANT))
    edit = reverse("publicaffairs:stakeholder_edit", args=[relations["szw"].pk])
    assert client.post(edit, {"next_step": "Overgenomen"}).status_code == 403
    relations["szw"].refresh_from_db()
    assert relations["szw"].next_step == "Vervolggesprek"


def _relations(n: int, start: int, owner) -> None:
    import uuid

    from m50.publicaffairs.models import MemberOfParliament, Stakeholder

    members = MemberOfParliament.objects.bulk_create(
        MemberOfParliament(tk_id=uuid.uuid4(), surname=f"Lid {i}") for i in range(start, start + n)
    )
    Stakeholder.objects.bulk_create(Stakeholder(member=m, owner=owner) for m in members)


def test_the_relations_page_costs_the_same_for_10_and_1000(client, lobbyist, relations):
    client.force_login(lobbyist)
    url = reverse("publicaffairs:stakeholder_list")
    _relations(10, 0, lobbyist)
    few = _queries(client, url)
    _relations(990, 10, lobbyist)
    assert _queries(client, url) == few


# --- VNG motions by hand ----------------------------------------------------------------------


@pytest.fixture
def partners():
    from m50.contacts.models import Organisation
    from tests.factories import OrganisationFactory

    return {
        name: OrganisationFactory(kind=Organisation.Kind.PARTNER_NETWORK, name=name)
        for name in ("M50", "G40", "P10")
    }


def test_the_lobbyist_enters_and_edits_a_vng_motion(client, lobbyist, wonen, partners):
    from m50.publicaffairs.models import Motion

    client.force_login(lobbyist)
    assert reverse("publicaffairs:vng_motion_create") in (
        client.get(reverse("publicaffairs:motion_list")).text
    )
    response = client.post(
        reverse("publicaffairs:vng_motion_create"),
        {
            "kind": "resolutie",
            "number": "ALV-2026-3",
            "title": "Resolutie middelgrote gemeenten",
            "date": "2026-06-05",
            "dossiers": [wonen.pk],
            "co_submitters": [partners["M50"].pk, partners["G40"].pk],
            "outcome": "aangenomen",
            "decided_on": "2026-06-05",
        },
    )
    assert response.status_code == 302
    motion = Motion.objects.get(number="ALV-2026-3")
    assert motion.source == Motion.Source.VNG and motion.kind == "resolutie"
    assert {c.organisation.name for c in motion.co_submitters.all()} == {"M50", "G40"}
    assert motion.network_outcome.outcome == "aangenomen"
    assert list(motion.theme_dossiers.all()) == [wonen]
    html = client.get(reverse("publicaffairs:motion_detail", args=[motion.pk])).text
    edit = reverse("publicaffairs:vng_motion_edit", args=[motion.pk])
    assert edit in html
    assert 'value="ALV-2026-3"' in client.get(edit).text
    response = client.post(
        edit,
        {
            "kind": "motie",
            "number": "ALV-2026-3",
            "title": "Motie middelgrote gemeenten",
            "date": "2026-06-05",
            "co_submitters": [partners["P10"].pk],
            "outcome": "ingetrokken",
        },
    )
    assert response.status_code == 302
    motion.refresh_from_db()
    assert motion.title == "Motie middelgrote gemeenten" and motion.kind == "motie"
    assert [c.organisation.name for c in motion.co_submitters.all()] == ["P10"]
    assert motion.network_outcome.outcome == "ingetrokken"
    assert not motion.theme_dossiers.exists()
    event = AuditEvent.objects.get(action="publicaffairs.vng_motion_update")
    assert "co_submitters" in event.changes and "outcome" in event.changes


def test_a_vng_motion_with_bad_input_is_refused_in_dutch_and_nothing_written(
    client, lobbyist, partners
):
    from m50.publicaffairs.models import Motion

    records.vng_motion_create(
        actor=lobbyist,
        title="Eerdere",
        number="ALV-1",
        date=datetime.date(2026, 1, 1),
    )
    client.force_login(lobbyist)
    before, audits = Motion.objects.count(), audit_count()
    url = reverse("publicaffairs:vng_motion_create")
    response = client.post(url, {"kind": "motie", "date": "2026-13-01", "outcome": "gewonnen"})
    assert response.status_code == 400
    assert "Geef de motie een titel." in response.text
    assert "Vul een geldige datum in" in response.text
    assert "Kies een uitkomst uit de lijst." in response.text
    response = client.post(
        url, {"kind": "motie", "title": "Dubbel", "number": "ALV-1", "date": "2026-06-05"}
    )
    assert response.status_code == 400 and "Er is al een VNG-motie met dit nummer." in response.text
    assert Motion.objects.count() == before and audit_count() == audits


def test_a_synced_motion_stays_read_only(client, lobbyist):
    from tests.publicaffairs.records_helpers import tk_motion

    motion = tk_motion("Motie van de Kamer")
    client.force_login(lobbyist)
    html = client.get(reverse("publicaffairs:motion_detail", args=[motion.pk])).text
    edit = reverse("publicaffairs:vng_motion_edit", args=[motion.pk])
    assert edit not in html
    response = client.post(edit, {"kind": "motie", "title": "Overschreven", "date": "2026-06-05"})
    assert response.status_code == 404
    motion.refresh_from_db()
    assert motion.title == "Motie van de Kamer"
    refused = pytest.raises(Exception, match="open data")
    with refused:
        records.vng_motion_update(
            actor=lobbyist, motion=motion, title="X", date=motion.date, kind="motie"
        )


@pytest.mark.parametrize("role", [r for r in Role if r not in (Role.BUREAU, Role.PUBLIC_AFFAIRS)])
def test_others_may_not_enter_a_vng_motion(client, user_for_role, role):
    from m50.publicaffairs.models import Motion

    client.force_login(user_for_role(role))
    html = client.get(reverse("publicaffairs:motion_list")).text
    assert reverse("publicaffairs:vng_motion_create") not in html
    response = client.post(
        reverse("publicaffairs:vng_motion_create"),
        {"kind": "motie", "title": "Niet", "date": "2026-06-05"},
    )
    assert response.status_code == 403 and not Motion.objects.exists()


def test_the_vng_motion_form_costs_the_same_for_10_and_1000_motions(client, lobbyist, wonen):
    from m50.publicaffairs.models import Motion

    motion = records.vng_motion_create(
        actor=lobbyist, title="Te wijzigen", date=datetime.date(2026, 1, 1)
    )

    def bulk(n: int, start: int) -> None:
        Motion.objects.bulk_create(
            Motion(source=Motion.Source.VNG, number=f"v-{i}", title=f"M {i}")
            for i in range(start, start + n)
        )

    client.force_login(lobbyist)
    urls = [
        reverse("publicaffairs:vng_motion_create"),
        reverse("publicaffairs:vng_motion_edit", args=[motion.pk]),
    ]
    bulk(10, 0)
    few = [_queries(client, url) for url in urls]
    bulk(990, 10)
    assert [_queries(client, url) for url in urls] == few


# --- Editing a contact, deleting a follow-up --------------------------------------------------

NOTE = "Geheim: de wethouder twijfelt"


@pytest.fixture
def visit(lobbyist):
    from m50.publicaffairs.models import Interaction
    from tests.factories import MunicipalityFactory
    from tests.publicaffairs.records_helpers import mp

    diemen = MunicipalityFactory(name="Diemen", code="GM0384")
    interaction = records.interaction_create(
        actor=lobbyist,
        kind=Interaction.Kind.WORK_VISIT,
        date=datetime.date(2026, 11, 3),
        subject="Werkbezoek Diemen",
        municipality=diemen,
        members=[mp("Bontenbal")],
        confidential_note=NOTE,
    )
    records.follow_up_create(
        actor=lobbyist, interaction=interaction, description="Cijfers sturen", owner=lobbyist
    )
    return interaction


def test_the_lobbyist_edits_a_contact_and_the_change_is_audited(client, lobbyist, visit):
    client.force_login(lobbyist)
    detail = reverse("publicaffairs:interaction_detail", args=[visit.pk])
    edit = reverse("publicaffairs:interaction_edit", args=[visit.pk])
    assert edit in client.get(detail).text
    form = client.get(edit).text
    assert 'value="Werkbezoek Diemen"' in form and NOTE in form
    response = client.post(
        edit,
        {
            "kind": "werkbezoek",
            "date": "2026-11-04",
            "subject": "Werkbezoek Diemen-Noord",
            "municipality": visit.municipality_id,
            "members": [m.pk for m in visit.members.all()],
            "outcome": "Afspraak gemaakt",
            "confidential_note": "Nieuwe notitie",
        },
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.subject == "Werkbezoek Diemen-Noord" and visit.date == datetime.date(2026, 11, 4)
    assert visit.confidential_note == "Nieuwe notitie" and visit.members.count() == 1
    event = AuditEvent.objects.get(action="publicaffairs.interaction_update")
    assert event.changes["subject"]["new"] == "Werkbezoek Diemen-Noord"
    # The note's content never enters the audit trail.
    assert "Nieuwe notitie" not in str(event.changes) and NOTE not in str(event.changes)


def test_a_contact_edit_with_bad_input_is_refused_in_dutch_and_nothing_written(
    client, lobbyist, visit
):
    client.force_login(lobbyist)
    edit = reverse("publicaffairs:interaction_edit", args=[visit.pk])
    audits = audit_count()
    response = client.post(edit, {"kind": "werkbezoek", "date": "2026-11-31", "subject": ""})
    assert response.status_code == 400
    assert "Vul het onderwerp in." in response.text and "Vul een geldige datum in" in response.text
    # Valid in form, refused by the service: a work visit needs its municipality.
    response = client.post(edit, {"kind": "werkbezoek", "date": "2026-11-05", "subject": "Ander"})
    assert response.status_code == 400 and "Kies de gemeente van het werkbezoek." in response.text
    visit.refresh_from_db()
    assert visit.subject == "Werkbezoek Diemen" and visit.confidential_note == NOTE
    assert audit_count() == audits


@pytest.mark.parametrize("role", [r for r in Role if r not in (Role.BUREAU, Role.PUBLIC_AFFAIRS)])
def test_others_may_not_edit_a_contact_nor_delete_a_follow_up(client, user_for_role, visit, role):
    client.force_login(user_for_role(role))
    html = client.get(reverse("publicaffairs:interaction_detail", args=[visit.pk])).text
    assert NOTE not in html
    assert reverse("publicaffairs:interaction_edit", args=[visit.pk]) not in html
    follow_up = visit.follow_ups.get()
    assert reverse("publicaffairs:follow_up_delete", args=[follow_up.pk]) not in html
    edit = reverse("publicaffairs:interaction_edit", args=[visit.pk])
    assert client.get(edit).status_code == 403
    response = client.post(edit, {"kind": "overig", "date": "2026-11-05", "subject": "Weg"})
    assert response.status_code == 403
    delete = reverse("publicaffairs:follow_up_delete", args=[follow_up.pk])
    assert client.post(delete).status_code == 403
    visit.refresh_from_db()
    assert visit.subject == "Werkbezoek Diemen" and visit.follow_ups.exists()


def test_the_lobbyist_deletes_a_follow_up_and_marks_one_done(client, lobbyist, visit):
    from m50.publicaffairs.models import FollowUp

    done = records.follow_up_create(
        actor=lobbyist, interaction=visit, description="Verslag", owner=lobbyist
    )
    client.force_login(lobbyist)
    detail = reverse("publicaffairs:interaction_detail", args=[visit.pk])
    wrong = visit.follow_ups.get(description="Cijfers sturen")
    assert reverse("publicaffairs:follow_up_delete", args=[wrong.pk]) in client.get(detail).text
    response = client.post(reverse("publicaffairs:follow_up_delete", args=[wrong.pk]))
    assert response.status_code == 302 and response.url == detail
    assert not FollowUp.objects.filter(pk=wrong.pk).exists()
    event = AuditEvent.objects.get(action="publicaffairs.follow_up_delete")
    assert event.changes["description"]["old"] == "Cijfers sturen"
    client.post(reverse("publicaffairs:follow_up_complete", args=[done.pk]))
    done.refresh_from_db()
    assert done.done_at is not None
    assert "afgerond op" in client.get(detail).text


def test_the_contact_edit_form_costs_the_same_for_10_and_1000_contacts(client, lobbyist, visit):
    from m50.publicaffairs.models import Interaction

    def bulk(n: int) -> None:
        Interaction.objects.bulk_create(
            Interaction(kind="overig", date=datetime.date(2026, 1, 1), subject=f"C {i}")
            for i in range(n)
        )

    client.force_login(lobbyist)
    url = reverse("publicaffairs:interaction_edit", args=[visit.pk])
    bulk(10)
    few = _queries(client, url)
    bulk(990)
    assert _queries(client, url) == few


# --- Kamerleden near a member municipality ----------------------------------------------------


@pytest.fixture
def noord_holland():
    from tests.factories import MunicipalityFactory, ProvinceFactory
    from tests.publicaffairs.records_helpers import fractie, mp

    nh = ProvinceFactory(code="PV27", name="Noord-Holland")
    utrecht = ProvinceFactory(code="PV26", name="Utrecht")
    diemen = MunicipalityFactory(name="Diemen", code="GM0384", province=nh)
    amstelveen = MunicipalityFactory(name="Amstelveen", code="GM0362", province=nh)
    zeist = MunicipalityFactory(name="Zeist", code="GM0355", province=utrecht)
    cda = fractie("CDA")
    mp("Bontenbal", cda, municipality=diemen)
    mp("Jansen", cda, municipality=amstelveen)
    mp("Pietersen", cda, municipality=zeist)
    mp("Zonder", cda)  # a place of residence that names no municipality
    return diemen


def test_the_municipality_section_lists_kamerleden_nearby_in_the_province(
    client, user_for_role, noord_holland
):
    url = reverse("municipalities:detail", args=["GM0384"])
    client.force_login(user_for_role(Role.PARTICIPANT))
    html = client.get(url).text
    assert "Kamerleden die in Diemen wonen" in html and "Bontenbal" in html
    assert "Kamerleden in de buurt, elders in Noord-Holland" in html
    assert "Jansen" in html and "woont in Amstelveen" in html
    assert "alleen de woonplaats" in html
    assert "Pietersen" not in html and "Zonder" not in html
    client.logout()
    assert "Kamerleden in de buurt" not in client.get(url).text  # a visitor


def test_the_municipality_section_costs_the_same_for_10_and_1000_kamerleden_nearby(
    client, user_for_role, noord_holland
):
    import uuid

    from m50.publicaffairs.models import MemberOfParliament
    from tests.factories import MunicipalityFactory

    elsewhere = MunicipalityFactory(name="Haarlem", code="GM0392", province=noord_holland.province)

    def bulk(n: int, start: int) -> None:
        MemberOfParliament.objects.bulk_create(
            MemberOfParliament(tk_id=uuid.uuid4(), surname=f"Lid {i}", municipality=elsewhere)
            for i in range(start, start + n)
        )

    client.force_login(user_for_role(Role.PUBLIC_AFFAIRS))
    url = reverse("municipalities:detail", args=["GM0384"])
    bulk(10, 0)
    few = _queries(client, url)
    bulk(990, 10)
    assert _queries(client, url) == few


def test_the_relation_forms_and_a_public_position_cost_the_same_for_10_and_1000(
    client, lobbyist, relations, wonen
):
    client.force_login(lobbyist)
    urls = [
        reverse("publicaffairs:stakeholder_create"),
        reverse("publicaffairs:stakeholder_edit", args=[relations["szw"].pk]),
        reverse("positions:detail", args=["wonen"]),
    ]
    _relations(10, 0, lobbyist)
    _published(10, 0)
    few = [_queries(client, url) for url in urls]
    _relations(990, 10, lobbyist)
    _published(990, 10)
    assert [_queries(client, url) for url in urls] == few
