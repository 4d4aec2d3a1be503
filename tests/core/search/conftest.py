"""A small Dutch corpus for the search tests, written for them."""

import datetime

import pytest

from m50.core.models import Theme
from m50.core.search import index
from m50.core.search.access import Access, Viewer


@pytest.fixture(autouse=True)
def _empty_index(db):
    """The engine's tests start from an empty index: the shipped pillars are put there after
    migrate, and the corpus's ids and counts are the tests' own."""
    from m50.core.models import SearchEntry

    SearchEntry.objects.all().delete()


BODY_PILLAR = 11
BODY_GROUP = 22

ANONYMOUS = Viewer.anonymous()
PARTICIPANT = Viewer(authenticated=True, role="participant")
PILLAR_MEMBER = Viewer(authenticated=True, role="participant", pillar_ids=frozenset({BODY_PILLAR}))
GROUP_MEMBER = Viewer(authenticated=True, role="member_contact", group_ids=frozenset({BODY_GROUP}))
PUBLIC_AFFAIRS = Viewer(authenticated=True, role="public_affairs")
BUREAU = Viewer(authenticated=True, role="bureau")

# (kind, object_id, title, summary, body, access, pillar, group, date, facets)
CORPUS = [
    (
        "knowledge",
        1,
        "Woningbouw versnellen in middelgrote gemeenten",
        "Hoe gemeenten met flexwoningen sneller bouwen voor starters.",
        "Diemen bouwde in twee jaar vierhonderd woningen op een voormalig bedrijventerrein. "
        "De gemeente werkte samen met de corporatie en het netwerk deelde de aanpak.",
        Access.PUBLIC,
        None,
        None,
        datetime.date(2024, 3, 1),
        {"kind": ["voorbeeld"], "theme": ["wonen"], "year": ["2024"], "municipality": ["GM0384"]},
    ),
    (
        "knowledge",
        2,
        "Jeugdzorg: de kosten beheersen",
        "Een aanpak voor de stijgende kosten van jeugdzorg.",
        "Het netwerk verzamelde voorbeelden van gemeenten die de toegang tot jeugdzorg anders "
        "regelden. Eén gemeente richtte een woning in voor begeleid wonen.",
        Access.NETWORK,
        None,
        None,
        datetime.date(2023, 6, 15),
        {"kind": ["handreiking"], "theme": ["jeugdzorg"], "year": ["2023"]},
    ),
    (
        "knowledge",
        3,
        "Verslag pijlerbijeenkomst Sociaal",
        "Het contract met de aanbieder is beëindigd.",
        "De pijler besprak in het netwerk de gevolgen voor de jeugdzorg en de woningbouw.",
        Access.BODY,
        BODY_PILLAR,
        None,
        datetime.date(2024, 9, 10),
        {"kind": ["verslag"], "theme": ["jeugdzorg"], "year": ["2024"], "pillar": ["sociaal"]},
    ),
    (
        "knowledge",
        4,
        "Begroting van het bureau 2025",
        "Uitgaven en contributies van het netwerk.",
        "Interne begroting met de contributie per gemeente.",
        Access.BUREAU,
        None,
        None,
        datetime.date(2024, 11, 1),
        {"kind": ["overig"], "theme": ["gemeentefinancien"], "year": ["2024"]},
    ),
    (
        "knowledge",
        5,
        "Notitie voor Kamerleden over woningbouw",
        "Vertrouwelijke lijn richting de Tweede Kamer.",
        "Het netwerk vraagt steun voor een motie over woningbouw in middelgrote gemeenten.",
        Access.CONFIDENTIAL,
        None,
        None,
        datetime.date(2024, 5, 20),
        {"kind": ["position paper"], "theme": ["wonen"], "year": ["2024"]},
    ),
    (
        "knowledge",
        6,
        "Themagroep mobiliteit: deelauto's",
        "Ervaringen met deelmobiliteit.",
        "De themagroep van het netwerk vergeleek de deelauto in drie gemeenten.",
        Access.BODY,
        None,
        BODY_GROUP,
        datetime.date(2022, 2, 2),
        {"kind": ["verslag"], "theme": ["mobiliteit"], "year": ["2022"]},
    ),
    (
        "activity",
        7,
        "Werkbezoek woningbouw in Diemen",
        "Kamerleden bezoeken een project van het netwerk.",
        "Een rondleiding langs de flexwoningen.",
        Access.RESTRICTED,
        None,
        None,
        datetime.date(2025, 1, 20),
        {"theme": ["wonen"], "year": ["2025"], "municipality": ["GM0384"]},
    ),
    (
        "municipality",
        796,
        "'s-Hertogenbosch",
        "Den Bosch, hoofdstad van Noord-Brabant, lid van het netwerk.",
        "",
        Access.PUBLIC,
        None,
        None,
        None,
        {"municipality": ["GM0796"]},
    ),
    (
        "knowledge",
        9,
        "Het huis van de toekomst",
        "Over duurzaam wonen in het netwerk.",
        "Een huis dat energie opwekt.",
        Access.PUBLIC,
        None,
        None,
        datetime.date(2021, 4, 4),
        {"kind": ["publicatie"], "theme": ["wonen"], "year": ["2021"]},
    ),
    (
        "knowledge",
        10,
        "De toekomst van het huis",
        "Een publicatie over <script>alert(1)</script> en het netwerk.",
        "Wat betekent de toekomst voor het huis van een gezin?",
        Access.PUBLIC,
        None,
        None,
        datetime.date(2021, 5, 5),
        {"kind": ["publicatie"], "theme": ["wonen"], "year": ["2021"]},
    ),
]

# What each viewer may see of the corpus (object ids), RESTRICTED left aside.
VISIBLE = {
    "anonymous": {1, 796, 9, 10},
    "participant": {1, 2, 796, 9, 10},
    "pillar member": {1, 2, 3, 796, 9, 10},
    "group member": {1, 2, 6, 796, 9, 10},
    "public affairs": {1, 2, 3, 5, 6, 796, 9, 10},
    "bureau": {1, 2, 3, 4, 5, 6, 796, 9, 10},
}
VIEWERS = {
    "anonymous": ANONYMOUS,
    "participant": PARTICIPANT,
    "pillar member": PILLAR_MEMBER,
    "group member": GROUP_MEMBER,
    "public affairs": PUBLIC_AFFAIRS,
    "bureau": BUREAU,
}


def put(row) -> None:
    kind, object_id, title, summary, body, access, pillar, group, date, facets = row
    index.entry_put(
        kind=kind,
        object_id=object_id,
        title=title,
        summary=summary,
        body=body,
        url=f"/{kind}/{object_id}",
        access=access,
        pillar_id=pillar,
        group_id=group,
        date=date,
        facets=facets,
    )


@pytest.fixture
def corpus(db):
    """The corpus in the index; the RESTRICTED activity's object id is a theme's (Wonen), so a
    real queryset can allow it."""
    wonen = Theme.objects.get(slug="wonen")
    for row in CORPUS:
        if row[0] == "activity":
            row = (row[0], wonen.pk, *row[2:])
        put(row)
    return {"activity": wonen.pk}


@pytest.fixture
def no_providers(monkeypatch):
    """An empty provider registry for the test, restored afterwards."""
    monkeypatch.setattr(index, "_providers", {})
    return index
