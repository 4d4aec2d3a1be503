"""Reads of the municipality registry, with their joins, for pages, API and other apps."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from m50.core.text import fold, words
from m50.core.versions import REGISTRY, VersionedFigures
from m50.municipalities.eligibility import (
    BandLimits,
    entered_band_recently,
    forecast_entry_year,
)
from m50.municipalities.models import (
    BoundaryChange,
    Municipality,
    MunicipalityAlias,
    MunicipalitySearchTerm,
    Network,
    NetworkMembership,
    PopulationCount,
    Province,
    search_form,
)

M50_NETWORK_CODE = "M50"


# The values are the public (Dutch) vocabulary of the list's query parameters, shared by the
# HTML list and the API, so that a filtered link means the same in both.
class Status:
    ACTIVE = "actief"
    DISSOLVED = "opgeheven"
    ALL = "alle"


class BandFilter:
    IN = "binnen"
    OUT = "buiten"


class Ordering:
    NAME = "naam"
    POPULATION_DESC = "-inwoners"
    POPULATION_ASC = "inwoners"
    CHOICES = (NAME, POPULATION_DESC, POPULATION_ASC)


def latest_population(field: str, *, municipality_ref: str = "pk"):
    """Subquery of the latest population count's ``field`` for the outer municipality."""
    latest = PopulationCount.objects.filter(municipality=OuterRef(municipality_ref)).order_by(
        "-year"
    )
    return Subquery(latest.values(field)[:1], output_field=IntegerField())


def _is_member_of(network_code: str):
    return Exists(
        NetworkMembership.objects.filter(municipality=OuterRef("pk"), network__code=network_code)
    )


def municipality_queryset() -> QuerySet[Municipality]:
    """Municipalities with their latest population and M50 listing, one query for a page."""
    return Municipality.objects.select_related("province").annotate(
        latest_population=latest_population("inhabitants"),
        latest_population_year=latest_population("year"),
        is_m50_member=_is_member_of(M50_NETWORK_CODE),
    )


# "GM0384", "gm 384", "0384", "384": a CBS municipality code, with or without its prefix.
_CODE = re.compile(r"(?:gm)?\s*(\d{1,4})")
# More words than any municipality name has; the rest of a longer text is ignored.
MAX_NAME_WORDS = 8


def municipality_code_of(text: str) -> str | None:
    """The CBS code ``text`` stands for ("0384" → "GM0384"), or None if it is no code."""
    match = _CODE.fullmatch(fold(text).strip())
    return f"GM{int(match.group(1)):04d}" if match else None


def municipality_name_q(text: str) -> Q:
    """The condition "is the municipality ``text`` names", as people type it.

    Matches the code ("GM0384", "0384"), and every municipality whose names together have,
    for each typed word, a word beginning with it: its official name and the names in use
    (``MunicipalityAlias``: "Den Haag", "Den Bosch"), with case, accents and punctuation
    ignored ("sudwest fryslan", "s hertogenbosch", "Fryslan", "Noardeast"), and a name of
    several words also typed as one ("denhaag"). Letters inside a word are not searched
    ("dam" does not find Rotterdam). An indexed prefix match on ``MunicipalitySearchTerm``
    per word, as subqueries of the caller's query: no extra query, whatever the registry's
    size. A text without letters or digits matches nothing.
    """
    condition = Q(pk__in=[])
    code = municipality_code_of(text)
    if code:
        condition |= Q(code=code)
    typed = list(dict.fromkeys(words(text)))[:MAX_NAME_WORDS]
    if typed:
        every_word = Q()
        for word in typed:
            every_word &= Q(
                pk__in=MunicipalitySearchTerm.objects.filter(term__startswith=word).values(
                    "municipality_id"
                )
            )
        condition |= every_word
    return condition


def municipality_named_q(text: str) -> Q:
    """The condition "``text`` is exactly one of the municipality's names or its code",
    folded as :func:`municipality_name_q` folds (so "den haag" = "Den Haag")."""
    condition = Q(pk__in=[])
    code = municipality_code_of(text)
    if code:
        condition |= Q(code=code)
    form = search_form(text)
    if form:
        condition |= Q(search_name=form) | Q(
            pk__in=MunicipalityAlias.objects.filter(search_name=form).values("municipality_id")
        )
    return condition


def municipalities_by_typed_name(
    *, text: str, status: str = Status.ACTIVE
) -> QuerySet[Municipality]:
    """Municipalities matching ``text`` as :func:`municipality_name_q` does, those it names
    exactly first (then by name): for type-ahead and for recognising a municipality in a
    search. ``status`` is a :class:`Status` value."""
    qs = Municipality.objects.select_related("province").filter(municipality_name_q(text))
    if status == Status.ACTIVE:
        qs = qs.filter(dissolved_on__isnull=True)
    elif status == Status.DISSOLVED:
        qs = qs.filter(dissolved_on__isnull=False)
    exact = Case(When(municipality_named_q(text), then=Value(0)), default=Value(1))
    return qs.annotate(name_match=exact).order_by("name_match", "name", "code")


def municipalities_named(*, text: str) -> QuerySet[Municipality]:
    """The municipalities (current and dissolved) that ``text`` names exactly: by official
    name, a name in use, or code. Usually one; "Bergen" alone names none (two are called
    "Bergen (L.)" and "Bergen (NH.)"), and a name can belong to a dissolved one as well."""
    return Municipality.objects.filter(municipality_named_q(text)).order_by("name", "code")


def municipality_list(
    *,
    search: str = "",
    province: str = "",
    band: str = "",
    network: str = "",
    status: str = Status.ACTIVE,
    ordering: str = Ordering.NAME,
) -> QuerySet[Municipality]:
    """Filtered municipalities. ``band`` is a ``BandFilter``; ``network`` a network code."""
    qs = municipality_queryset()
    if status == Status.ACTIVE:
        qs = qs.filter(dissolved_on__isnull=True)
    elif status == Status.DISSOLVED:
        qs = qs.filter(dissolved_on__isnull=False)
    if search:
        qs = qs.filter(municipality_name_q(search))
    if province:
        qs = qs.filter(province__code=province)
    limits = BandLimits.from_settings()
    in_band = Q(latest_population__gte=limits.minimum, latest_population__lte=limits.maximum)
    if band == BandFilter.IN:
        qs = qs.filter(in_band)
    elif band == BandFilter.OUT:
        qs = qs.exclude(in_band)
    if network:
        qs = qs.filter(network_memberships__network__code=network)
    if ordering == Ordering.POPULATION_DESC:
        qs = qs.order_by(Coalesce("latest_population", 0).desc(), "name")
    elif ordering == Ordering.POPULATION_ASC:
        qs = qs.order_by(Coalesce("latest_population", 0).asc(), "name")
    else:
        qs = qs.order_by("name", "code")
    return qs


def municipality_detail(*, code: str) -> Municipality:
    """One municipality with everything its page shows, in a fixed number of queries."""
    return (
        municipality_queryset()
        .select_related("organisation")
        .prefetch_related(
            Prefetch("population_counts", queryset=PopulationCount.objects.order_by("year")),
            Prefetch(
                "network_memberships",
                queryset=NetworkMembership.objects.select_related("network").order_by(
                    "network__code"
                ),
            ),
            Prefetch(
                "predecessor_links",
                queryset=BoundaryChange.objects.select_related("predecessor").order_by(
                    "effective_on", "predecessor__name"
                ),
            ),
            Prefetch(
                "successor_links",
                queryset=BoundaryChange.objects.select_related("successor").order_by(
                    "effective_on", "successor__name"
                ),
            ),
        )
        .get(code=code.upper())
    )


def population_series(municipality: Municipality) -> dict[int, int]:
    """``{year: inhabitants}``; uses the prefetched counts when present."""
    return {count.year: count.inhabitants for count in municipality.population_counts.all()}


def province_list() -> QuerySet[Province]:
    return Province.objects.order_by("name")


def network_list() -> QuerySet[Network]:
    return Network.objects.order_by("code")


@dataclass(frozen=True)
class Prospect:
    municipality: Municipality
    inhabitants: int
    year: int
    entered_band_in: int | None = None
    expected_in_band_in: int | None = None
    # The forecast's basis: the growth from 1 January of this year to 1 January of ``year``.
    forecast_from: int | None = None


PROSPECTS_PAGE_SIZE = 50


def _band_key() -> str:
    """The settings the prospect lists depend on besides the registry data."""
    return ":".join(
        str(part)
        for part in (
            settings.M50_BAND_MIN,
            settings.M50_BAND_MAX,
            settings.M50_BAND_RECENT_YEARS,
            settings.M50_BAND_FORECAST_YEARS,
        )
    )


def prospect_lists_cached(
    figures: VersionedFigures | None = None,
) -> tuple[list[Prospect], list[Prospect]]:
    """:func:`prospect_lists`, computed once per version of the registry data (and band
    settings) in each process: it reads every municipality's series, and changes only when
    the registry does. The same lists for every user who may see them."""
    figures = figures or VersionedFigures([REGISTRY])
    return figures.get(f"prospects:{_band_key()}", prospect_lists)


@dataclass(frozen=True)
class ProspectPage:
    page: Page  # of the positions in the list: number, count, links
    rows: list[Prospect]


def prospect_pages(*, in_band: str | int | None, approaching: str | int | None) -> dict:
    """One page of each prospect list (``in_band`` and ``approaching`` are the page numbers
    asked for; a wrong one gives the first or last page). Each page is kept by itself per
    version of the registry, so a page costs the same however long the lists are."""
    figures = VersionedFigures([REGISTRY])
    band = _band_key()
    computed: list = []

    def lists() -> tuple[list[Prospect], list[Prospect]]:
        if not computed:
            computed.append(prospect_lists_cached(figures))
        return computed[0]

    counts = figures.get(f"prospect-counts:{band}", lambda: tuple(map(len, lists())))
    pages = {}
    for index, (name, number) in enumerate((("in_band", in_band), ("approaching", approaching))):
        page = Paginator(range(counts[index]), PROSPECTS_PAGE_SIZE).get_page(number)
        rows = figures.get(
            f"prospect-page:{band}:{name}:{page.number}",
            lambda index=index, page=page: lists()[index][
                page.start_index() - 1 : page.end_index()
            ],
        )
        pages[name] = ProspectPage(page, rows)
    return pages


def prospect_lists() -> tuple[list[Prospect], list[Prospect]]:
    """Non-members in the band (largest first), and non-members growing into it soon.

    The first list marks those that entered the band within ``M50_BAND_RECENT_YEARS``; the
    second holds those below the band whose trend brings them in within
    ``M50_BAND_FORECAST_YEARS``, soonest first.
    """
    limits = BandLimits.from_settings()
    candidates = (
        municipality_queryset()
        .filter(dissolved_on__isnull=True, is_m50_member=False)
        .prefetch_related(
            Prefetch("population_counts", queryset=PopulationCount.objects.order_by("year"))
        )
    )
    in_band: list[Prospect] = []
    approaching: list[Prospect] = []
    for municipality in candidates:
        series = population_series(municipality)
        if not series:
            continue
        year = max(series)
        inhabitants = series[year]
        if limits.contains(inhabitants):
            in_band.append(
                Prospect(
                    municipality,
                    inhabitants,
                    year,
                    entered_band_in=entered_band_recently(
                        series, limits, within_years=settings.M50_BAND_RECENT_YEARS
                    ),
                )
            )
            continue
        expected = forecast_entry_year(series, limits)
        if expected is not None and expected - year <= settings.M50_BAND_FORECAST_YEARS:
            approaching.append(
                Prospect(
                    municipality,
                    inhabitants,
                    year,
                    expected_in_band_in=expected,
                    forecast_from=min(series),
                )
            )
    in_band.sort(key=lambda p: (-p.inhabitants, p.municipality.name))
    approaching.sort(key=lambda p: (p.expected_in_band_in, -p.inhabitants, p.municipality.name))
    return in_band, approaching


def m50_members_outside_band() -> QuerySet[Municipality]:
    limits = BandLimits.from_settings()
    return (
        municipality_queryset()
        .filter(is_m50_member=True)
        .exclude(latest_population__gte=limits.minimum, latest_population__lte=limits.maximum)
        .order_by("name")
    )


@dataclass(frozen=True)
class RegistrySummary:
    municipalities: int
    in_band: int
    m50_members: int
    latest_year: int | None


def registry_summary() -> RegistrySummary:
    limits = BandLimits.from_settings()
    qs = municipality_queryset().filter(dissolved_on__isnull=True)
    latest_year = PopulationCount.objects.order_by("-year").values_list("year", flat=True).first()
    return RegistrySummary(
        municipalities=qs.count(),
        in_band=qs.filter(
            latest_population__gte=limits.minimum, latest_population__lte=limits.maximum
        ).count(),
        m50_members=qs.filter(is_m50_member=True).count(),
        latest_year=latest_year,
    )


def boundary_change_between(*, predecessor: Municipality, successor: Municipality):
    """The redivision in which ``predecessor`` (partly) went into ``successor``, if any."""
    return (
        BoundaryChange.objects.filter(predecessor=predecessor, successor=successor)
        .exclude(kind=BoundaryChange.Kind.BOUNDARY_CORRECTION)
        .order_by("effective_on")
        .first()
    )


def network_member_municipalities(*, network_code: str) -> list[Municipality]:
    """Municipalities listed as members of a network, by name."""
    return list(
        Municipality.objects.filter(network_memberships__network__code=network_code)
        .select_related("province")
        .order_by("name")
    )


def successors_of(*, municipality: Municipality) -> list[Municipality]:
    """The municipalities a dissolved one went into (not boundary corrections)."""
    return list(
        Municipality.objects.filter(
            predecessor_links__predecessor=municipality,
        )
        .exclude(predecessor_links__kind=BoundaryChange.Kind.BOUNDARY_CORRECTION)
        .distinct()
        .order_by("name")
    )


def successors_by_predecessor(*, predecessor_ids) -> dict[int, list[Municipality]]:
    """For each of ``predecessor_ids``, the municipalities it went into (not by a boundary
    correction), by name: one query for any number of predecessors."""
    result: dict[int, list[Municipality]] = {}
    links = (
        BoundaryChange.objects.filter(predecessor_id__in=list(predecessor_ids))
        .exclude(kind=BoundaryChange.Kind.BOUNDARY_CORRECTION)
        .select_related("successor")
        .order_by("successor__name", "successor_id")
    )
    for link in links:
        items = result.setdefault(link.predecessor_id, [])
        if link.successor not in items:
            items.append(link.successor)
    return result


def municipality_by_code_or_first(*, code: str) -> Municipality | None:
    """The municipality with ``code``, or else the first current one by name."""
    return (
        Municipality.objects.filter(code=code).first()
        or Municipality.objects.filter(dissolved_on__isnull=True).order_by("name").first()
    )
