"""Starting and ending pillars and theme groups in the platform's own pages: the bureau any, a
pillar's chair a theme group of their own pillar; refusals as Dutch form errors (400) that
write nothing, per-object refusals 403; the services write the audit rows."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from m50.accounts.models import Role
from m50.core.models import AuditEvent
from m50.pillars import services
from m50.pillars.models import Participation, Pillar, PillarSuccession, ThemeGroup
from m50.pillars.models import Role as PillarRole
from tests.factories import MunicipalityFactory, PersonFactory, ThemeGroupFactory, UserFactory
from tests.pillars.conftest import START, Function, official, pillar, user_of
from tests.pillars.test_participation_pages import populate, queries_of

pytestmark = pytest.mark.django_db
D = datetime.date

PILLAR_CREATE = reverse("pillars:pillar_create")
GROUP_CREATE = reverse("pillars:group_create")


def pillar_group_create(slug: str) -> str:
    return reverse("pillars:pillar_group_create", args=[slug])


def pillar_end(slug: str) -> str:
    return reverse("pillars:end", args=[slug])


def group_end(slug: str) -> str:
    return reverse("pillars:group_end", args=[slug])


@pytest.fixture
def bureau():
    return UserFactory(role=Role.BUREAU)


@pytest.fixture
def chair(diemen, sociaal):
    """An alderman of Diemen chairing Sociaal."""
    position = official(diemen, person=PersonFactory(given_name="Anna", surname="Voorzitter"))
    services.participation_register(
        position=position, pillar=sociaal, role=PillarRole.CHAIR, start_date=START
    )
    return user_of(position, role=Role.PILLAR_CHAIR)


@pytest.fixture
def jeugd(sociaal):
    return ThemeGroupFactory(pillar=sociaal, name="Jeugd", slug="jeugd")


def written() -> tuple[int, int, int, int]:
    """What a refused form must leave as it was."""
    return (
        Pillar.objects.count(),
        ThemeGroup.objects.count(),
        PillarSuccession.objects.count(),
        AuditEvent.objects.count(),
    )


# --- A new pillar -----------------------------------------------------------------------------


def test_the_bureau_starts_a_pillar_that_continues_an_earlier_one(client, bureau):
    bestuur, samenleving = pillar("bestuur"), pillar("samenleving")
    client.force_login(bureau)
    page = client.get(PILLAR_CREATE)
    assert page.status_code == 200
    assert "Zet het werk voort van" in page.content.decode()
    response = client.post(
        PILLAR_CREATE,
        {
            "name": "Wonen",
            "purpose": "Woningbouw en huisvesting.",
            "started_on": "2027-01-01",
            "predecessors": [bestuur.pk, samenleving.pk],
            "succession_note": "Huisvesting",
        },
    )
    wonen = Pillar.objects.get(name="Wonen")
    assert response.status_code == 302
    assert response.url == reverse("pillars:detail", args=[wonen.slug])
    assert wonen.slug == "wonen" and wonen.started_on == D(2027, 1, 1) and not wonen.ended
    assert wonen.purpose == "Woningbouw en huisvesting."
    assert {p.slug for p in wonen.predecessors.all()} == {"bestuur", "samenleving"}
    assert set(wonen.successions_in.values_list("note", flat=True)) == {"Huisvesting"}
    # The services audit the pillar and each succession, by the bureau, from the web form.
    events = AuditEvent.objects.filter(origin="webformulier", actor=bureau)
    assert list(events.filter(action="pillar.create").values_list("object_id", flat=True)) == [
        str(wonen.pk)
    ]
    assert events.filter(action="pillar.succession_add").count() == 2
    text = client.get(response.url).content.decode()
    assert "De pijler Wonen is aangemaakt." in text and "Voortgekomen uit" in text
    # ... and both show in the recent changes, in words.
    assert ": aangemaakt — Wonen" in text and "pillar.create" not in text
    text = client.get(reverse("pillars:detail", args=["bestuur"])).content.decode()
    assert ": opvolger vastgelegd — Bestuur" in text


def test_a_pillar_without_a_start_date_has_an_unknown_start(client, bureau):
    client.force_login(bureau)
    assert client.post(PILLAR_CREATE, {"name": "Veiligheid"}).status_code == 302
    veiligheid = Pillar.objects.get(name="Veiligheid")
    assert veiligheid.started_on is None and not veiligheid.predecessors.exists()
    assert (
        "begin onbekend"
        in client.get(reverse("pillars:detail", args=["veiligheid"])).content.decode()
    )


def test_a_name_that_is_a_reserved_path_gets_another_slug(client, bureau):
    client.force_login(bureau)
    assert client.post(PILLAR_CREATE, {"name": "Nieuw"}).status_code == 302
    assert Pillar.objects.get(name="Nieuw").slug == "nieuw-2"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "Vul een naam in."),
        ({"name": "   "}, "Vul een naam in."),
        ({"name": "Wonen", "started_on": "31-02-2027"}, "Vul een datum in als dag-maand-jaar"),
        ({"name": "Wonen", "predecessors": ["999999"]}, "Kies een pijler uit de lijst"),
        ({"name": "W" * 101}, "Gebruik hoogstens 100 tekens."),
    ],
)
def test_a_wrong_pillar_form_is_a_dutch_error_and_writes_nothing(client, bureau, data, message):
    client.force_login(bureau)
    before = written()
    response = client.post(PILLAR_CREATE, data)
    assert response.status_code == 400
    text = response.content.decode()
    assert message in text and "Er is niets vastgelegd" in text
    assert written() == before


def test_a_refused_succession_leaves_no_pillar_behind(client, bureau, monkeypatch):
    def refuse(**kwargs):
        raise ValidationError("Deze opvolging kan niet.")

    monkeypatch.setattr(services, "pillar_succession_add", refuse)
    client.force_login(bureau)
    before = written()
    response = client.post(PILLAR_CREATE, {"name": "Wonen", "predecessors": [pillar("bestuur").pk]})
    assert response.status_code == 400
    assert "Deze opvolging kan niet." in response.content.decode()
    assert written() == before


@pytest.mark.parametrize("role", [Role.PILLAR_CHAIR, Role.PUBLIC_AFFAIRS, Role.PARTICIPANT])
def test_only_the_bureau_starts_a_pillar(client, chair, role):
    if role == Role.PILLAR_CHAIR:
        client.force_login(chair)
    else:
        municipality = MunicipalityFactory() if role == Role.PARTICIPANT else None
        client.force_login(UserFactory(role=role, municipality=municipality))
    before = written()
    assert client.get(PILLAR_CREATE).status_code == 403
    assert client.post(PILLAR_CREATE, {"name": "Wonen"}).status_code == 403
    assert written() == before


# --- A new theme group ------------------------------------------------------------------------


def test_the_bureau_starts_a_network_wide_group_and_one_of_a_pillar(client, bureau, financieel):
    client.force_login(bureau)
    page = client.get(GROUP_CREATE).content.decode()
    # Only running pillars to choose from.
    assert "Pijler Financieel" in page and "Pijler Bestuur" not in page
    response = client.post(GROUP_CREATE, {"name": "Digitalisering", "pillar": ""})
    group = ThemeGroup.objects.get(name="Digitalisering")
    assert response.status_code == 302 and response.url == reverse(
        "pillars:group_detail", args=["digitalisering"]
    )
    assert group.pillar is None
    response = client.post(
        GROUP_CREATE, {"name": "Gemeentefonds", "pillar": financieel.pk, "started_on": "1-1-2027"}
    )
    assert response.status_code == 302
    group = ThemeGroup.objects.get(name="Gemeentefonds")
    assert group.pillar == financieel and group.started_on == D(2027, 1, 1)
    assert (
        AuditEvent.objects.filter(
            action="theme_group.create", actor=bureau, origin="webformulier"
        ).count()
        == 2
    )


def test_the_chair_of_a_pillar_starts_a_group_of_their_pillar(client, chair, sociaal):
    client.force_login(chair)
    url = pillar_group_create("sociaal")
    page = client.get(url)
    assert page.status_code == 200
    assert "Nieuwe themagroep van de pijler Sociaal" in page.content.decode()
    response = client.post(url, {"name": "Jeugd", "purpose": "Jeugdzorg"})
    assert response.status_code == 302
    group = ThemeGroup.objects.get(name="Jeugd")
    assert group.pillar == sociaal and group.purpose == "Jeugdzorg"
    event = AuditEvent.objects.get(action="theme_group.create")
    assert event.actor == chair and event.object_id == str(group.pk)


def test_the_chair_of_one_pillar_cannot_start_a_group_elsewhere(client, chair, financieel):
    client.force_login(chair)
    before = written()
    url = pillar_group_create("financieel")
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "Gemeentefonds"}).status_code == 403
    # ... nor one of the network as a whole, nor by choosing another pillar there.
    assert client.get(GROUP_CREATE).status_code == 403
    assert client.post(GROUP_CREATE, {"name": "X", "pillar": financieel.pk}).status_code == 403
    assert written() == before


def test_a_chair_whose_chairmanship_ended_may_no_longer(client, chair, sociaal):
    participation = Participation.objects.get(position__person=chair.person)
    services.participation_end(participation=participation, end_date=D(2025, 1, 1))
    client.force_login(chair)
    assert client.post(pillar_group_create("sociaal"), {"name": "Jeugd"}).status_code == 403
    assert not ThemeGroup.objects.exists()


def test_an_ended_pillar_gets_no_new_group(client, bureau):
    client.force_login(bureau)
    before = written()
    response = client.post(pillar_group_create("bestuur"), {"name": "Oud"})
    assert response.status_code == 400
    assert "De pijler Bestuur is beëindigd." in response.content.decode()
    # The network-wide form does not offer it.
    response = client.post(GROUP_CREATE, {"name": "Oud", "pillar": pillar("bestuur").pk})
    assert response.status_code == 400
    assert "Kies een waarde uit de lijst" in response.content.decode()
    assert written() == before


def test_a_group_without_a_name_is_a_dutch_error(client, chair):
    client.force_login(chair)
    before = written()
    response = client.post(pillar_group_create("sociaal"), {"name": ""})
    assert response.status_code == 400
    assert "Vul een naam in." in response.content.decode()
    assert written() == before


# --- Ending -----------------------------------------------------------------------------------


def test_the_bureau_ends_a_pillar_and_its_participations_end_with_it(
    client, bureau, chair, houten, sociaal, jeugd
):
    member = services.participation_register(
        position=official(houten, Function.POLICY_ADVISOR), pillar=sociaal, start_date=START
    )
    later = services.participation_register(
        position=official(houten, Function.MAYOR), pillar=sociaal, start_date=D(2027, 3, 1)
    )
    client.force_login(bureau)
    page = client.get(pillar_end("sociaal")).content.decode()
    assert "Er zijn nu 3 deelnames die nog niet zijn beëindigd." in page
    assert "lopen door" in page and reverse("pillars:group_detail", args=["jeugd"]) in page
    response = client.post(pillar_end("sociaal"), {"ended_on": "2027-01-31"})
    assert response.status_code == 302
    sociaal.refresh_from_db()
    assert sociaal.ended and sociaal.ended_on == D(2027, 1, 31)
    member.refresh_from_db()
    assert member.end_date == D(2027, 1, 31)
    assert member.end_reason == Participation.EndReason.BODY_ENDED
    # The one that would only start after the last day never ran; the group runs on.
    assert not Participation.objects.filter(pk=later.pk).exists()
    jeugd.refresh_from_db()
    assert not jeugd.ended
    actions = list(
        AuditEvent.objects.filter(actor=bureau, origin="webformulier").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == [
        "participation.cancel",
        "participation.end",
        "participation.end",
        "pillar.end",
    ]


def test_the_end_page_says_when_it_ended_and_ending_again_is_refused(client, bureau):
    client.force_login(bureau)
    page = client.get(pillar_end("bestuur"))
    assert page.status_code == 200 and "beëindigd, datum onbekend" in page.content.decode()
    before = written()
    response = client.post(pillar_end("bestuur"), {"ended_on": "2026-01-01"})
    assert response.status_code == 400
    assert "De pijler Bestuur is al beëindigd." in response.content.decode()
    assert written() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Vul een datum in."),
        ({"ended_on": "gisteren"}, "Vul een datum in als dag-maand-jaar"),
        ({"ended_on": "2026-12-31"}, "ligt vóór de begindatum (1 januari 2027)"),
    ],
)
def test_a_wrong_end_date_is_a_dutch_error_and_ends_nothing(client, bureau, data, message):
    wonen = services.pillar_create(name="Wonen", started_on=D(2027, 1, 1))
    client.force_login(bureau)
    before = written()
    response = client.post(pillar_end("wonen"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    wonen.refresh_from_db()
    assert not wonen.ended and written() == before


def test_only_the_bureau_ends_a_pillar(client, chair, sociaal):
    client.force_login(chair)
    assert client.get(pillar_end("sociaal")).status_code == 403
    assert client.post(pillar_end("sociaal"), {"ended_on": "2027-01-31"}).status_code == 403
    sociaal.refresh_from_db()
    assert not sociaal.ended


def test_the_chair_of_the_pillar_ends_one_of_its_groups(client, chair, diemen, jeugd):
    participation = services.participation_register(
        position=official(diemen, Function.POLICY_ADVISOR), theme_group=jeugd, start_date=START
    )
    client.force_login(chair)
    page = client.get(group_end("jeugd")).content.decode()
    assert "Er is nu 1 deelname die nog niet is beëindigd." in page
    response = client.post(group_end("jeugd"), {"ended_on": "6-12-2026"})
    assert response.status_code == 302
    jeugd.refresh_from_db()
    assert jeugd.ended and jeugd.ended_on == D(2026, 12, 6)
    participation.refresh_from_db()
    assert participation.end_date == D(2026, 12, 6)
    assert AuditEvent.objects.get(action="theme_group.end").actor == chair
    assert "De themagroep Jeugd is beëindigd." in client.get(response.url).content.decode()


def test_a_groups_own_chair_and_another_pillars_chair_do_not_end_it(
    client, chair, houten, financieel, jeugd
):
    own_chair = official(houten, Function.POLICY_ADVISOR)
    services.participation_register(
        position=own_chair, theme_group=jeugd, role=PillarRole.CHAIR, start_date=START
    )
    other = official(houten, Function.MAYOR)
    services.participation_register(
        position=other, pillar=financieel, role=PillarRole.CHAIR, start_date=START
    )
    gemeentefonds = ThemeGroupFactory(pillar=financieel, slug="gemeentefonds")
    network = ThemeGroupFactory(pillar=None, slug="digitalisering")
    before = written()
    for user, slug in [
        (user_of(own_chair), "jeugd"),
        (user_of(other, role=Role.PILLAR_CHAIR), "jeugd"),
        (chair, "gemeentefonds"),
        (chair, "digitalisering"),
    ]:
        client.force_login(user)
        assert client.get(group_end(slug)).status_code == 403
        assert client.post(group_end(slug), {"ended_on": "2027-01-31"}).status_code == 403
    assert written() == before
    for group in (jeugd, gemeentefonds, network):
        group.refresh_from_db()
        assert not group.ended


# --- Links for whoever may --------------------------------------------------------------------


def test_the_bureau_sees_the_links_others_do_not(client, bureau, chair, jeugd):
    list_url = reverse("pillars:list")
    sociaal_url = reverse("pillars:detail", args=["sociaal"])
    jeugd_url = reverse("pillars:group_detail", args=["jeugd"])
    client.force_login(bureau)
    text = client.get(list_url).content.decode()
    assert PILLAR_CREATE in text and GROUP_CREATE in text
    text = client.get(sociaal_url).content.decode()
    assert pillar_end("sociaal") in text and pillar_group_create("sociaal") in text
    assert group_end("jeugd") in client.get(jeugd_url).content.decode()
    # An ended pillar offers neither.
    text = client.get(reverse("pillars:detail", args=["bestuur"])).content.decode()
    assert pillar_end("bestuur") not in text and pillar_group_create("bestuur") not in text

    # The chair of Sociaal: a new group there and ending its groups, not the pillar itself.
    client.force_login(chair)
    text = client.get(list_url).content.decode()
    assert PILLAR_CREATE not in text and GROUP_CREATE not in text
    text = client.get(sociaal_url).content.decode()
    assert pillar_group_create("sociaal") in text and pillar_end("sociaal") not in text
    assert group_end("jeugd") in client.get(jeugd_url).content.decode()
    text = client.get(reverse("pillars:detail", args=["financieel"])).content.decode()
    assert pillar_group_create("financieel") not in text

    # Anyone else, and anonymous visitors: none.
    for user in (UserFactory(role=Role.PARTICIPANT, municipality=MunicipalityFactory()), None):
        if user is None:
            client.logout()
        else:
            client.force_login(user)
        pages = [client.get(url).content.decode() for url in (list_url, sociaal_url, jeugd_url)]
        for link in (
            PILLAR_CREATE,
            GROUP_CREATE,
            pillar_group_create("sociaal"),
            pillar_end("sociaal"),
            group_end("jeugd"),
        ):
            assert all(link not in text for text in pages)


# --- Query counts -----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["bureau", "chair"])
def test_the_forms_cost_the_same_for_10_and_1000_participations(client, who, chair, jeugd):
    user = UserFactory(role=Role.BUREAU) if who == "bureau" else chair
    urls = [pillar_group_create("sociaal"), group_end("jeugd")]
    if who == "bureau":
        urls += [PILLAR_CREATE, GROUP_CREATE, pillar_end("sociaal")]
    populate(10)
    client.force_login(user)
    small = [queries_of(client, url) for url in urls]
    populate(990, towns=60)
    client.force_login(user)
    assert Participation.objects.count() > 1000
    assert [queries_of(client, url) for url in urls] == small
