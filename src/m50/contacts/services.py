"""Writes on organisations, people and positions, and the seeding of reference organisations."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from m50.contacts.models import Organisation, Person, Position
from m50.municipalities import selectors as registry
from m50.municipalities.services import Counts

SLUG_MAX_LENGTH = Organisation._meta.get_field("slug").max_length


def _unique_slug(text: str, *, taken: set[str] | None = None) -> str:
    """A slug for ``text`` not yet in use: ``base``, else ``base-2``, ``base-3``, ..."""
    base = slugify(text)[: SLUG_MAX_LENGTH - 4].strip("-") or "organisatie"
    if taken is None:
        taken = set(
            Organisation.objects.filter(slug__startswith=base).values_list("slug", flat=True)
        )
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


@transaction.atomic
def organisation_create(
    *,
    kind: str,
    name: str,
    abbreviation: str = "",
    slug: str = "",
    website: str = "",
    description: str = "",
    municipality=None,
    network=None,
) -> Organisation:
    """Create an organisation; without ``slug`` a unique one is made from the name."""
    if kind not in Organisation.Kind.values:
        raise ValidationError(
            {"kind": _("Onbekende soort organisatie: %(kind)s.") % {"kind": kind}}
        )
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Een organisatie heeft een naam.")})
    organisation = Organisation(
        kind=kind,
        name=name,
        abbreviation=abbreviation.strip(),
        slug=slug or _unique_slug(name),
        website=website,
        description=description,
        municipality=municipality,
        network=network,
    )
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def person_create(
    *,
    surname: str,
    given_name: str = "",
    surname_prefix: str = "",
    email: str = "",
    phone: str = "",
) -> Person:
    surname = surname.strip()
    if not surname:
        raise ValidationError({"surname": _("Vul een achternaam in.")})
    person = Person(
        given_name=given_name.strip(),
        surname_prefix=surname_prefix.strip(),
        surname=surname,
        email=email.strip(),
        phone=phone.strip(),
    )
    person.full_clean()
    person.save()
    return person


def _check_dates(start_date: datetime.date | None, end_date: datetime.date | None) -> None:
    if start_date and end_date and end_date < start_date:
        raise ValidationError(
            {
                "end_date": _("De einddatum (%(end)s) ligt vóór de begindatum (%(start)s).")
                % {"end": end_date.isoformat(), "start": start_date.isoformat()}
            }
        )


@transaction.atomic
def position_create(
    *,
    person: Person,
    organisation: Organisation,
    function: str,
    title: str = "",
    portfolio: str = "",
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
) -> Position:
    """A person's function at an organisation; the end date, if any, is not before the start."""
    if function not in Position.Function.values:
        raise ValidationError(
            {"function": _("Onbekende functie: %(function)s.") % {"function": function}}
        )
    _check_dates(start_date, end_date)
    position = Position(
        person=person,
        organisation=organisation,
        function=function,
        title=title.strip(),
        portfolio=portfolio.strip(),
        start_date=start_date,
        end_date=end_date,
    )
    position.full_clean()
    position.save()
    return position


@transaction.atomic
def position_end(*, position: Position, end_date: datetime.date) -> Position:
    """End a position on ``end_date`` (the last day in office); a correction may move it."""
    _check_dates(position.start_date, end_date)
    position.end_date = end_date
    position.save(update_fields=["end_date"])
    return position


# --- Reference organisations ----------------------------------------------------------------


@dataclass(frozen=True)
class _Seed:
    slug: str
    kind: str
    name: str
    abbreviation: str = ""
    website: str = ""
    network_code: str = ""


def _ministry(abbreviation: str, name: str, path: str) -> _Seed:
    return _Seed(
        slug=slugify(name),
        kind=Organisation.Kind.MINISTRY,
        name=name,
        abbreviation=abbreviation,
        website=f"https://www.rijksoverheid.nl/ministeries/{path}",
    )


# Organisations the network works with (DESIGN.md §1). Stored data, in Dutch.
REFERENCE_ORGANISATIONS = (
    _Seed(
        "vng",
        Organisation.Kind.PARTNER_NETWORK,
        "Vereniging van Nederlandse Gemeenten",
        "VNG",
        "https://vng.nl",
    ),
    _Seed("g4", Organisation.Kind.PARTNER_NETWORK, "", "G4", "", "G4"),
    _Seed(
        "g40",
        Organisation.Kind.PARTNER_NETWORK,
        "",
        "G40",
        "https://www.g40stedennetwerk.nl",
        "G40",
    ),
    _Seed("p10", Organisation.Kind.PARTNER_NETWORK, "", "P10", "https://www.p-10.nl", "P10"),
    _Seed("k80", Organisation.Kind.PARTNER_NETWORK, "", "K80", "https://www.k80.nl", "K80"),
    _Seed("m50", Organisation.Kind.OTHER, "", "M50", "http://www.middelgrotegemeenten.nl", "M50"),
    _Seed(
        "platform31",
        Organisation.Kind.KNOWLEDGE_PARTNER,
        "Platform31",
        "",
        "https://www.platform31.nl",
    ),
    _ministry(
        "BZK",
        "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties",
        "ministerie-van-binnenlandse-zaken-en-koninkrijksrelaties",
    ),
    _ministry(
        "SZW",
        "Ministerie van Sociale Zaken en Werkgelegenheid",
        "ministerie-van-sociale-zaken-en-werkgelegenheid",
    ),
    _ministry(
        "JenV", "Ministerie van Justitie en Veiligheid", "ministerie-van-justitie-en-veiligheid"
    ),
    _ministry(
        "IenW",
        "Ministerie van Infrastructuur en Waterstaat",
        "ministerie-van-infrastructuur-en-waterstaat",
    ),
    _ministry(
        "VWS",
        "Ministerie van Volksgezondheid, Welzijn en Sport",
        "ministerie-van-volksgezondheid-welzijn-en-sport",
    ),
    _ministry("Financiën", "Ministerie van Financiën", "ministerie-van-financien"),
    _ministry(
        "VRO",
        "Ministerie van Volkshuisvesting en Ruimtelijke Ordening",
        "ministerie-van-volkshuisvesting-en-ruimtelijke-ordening",
    ),
    _ministry("EZ", "Ministerie van Economische Zaken", "ministerie-van-economische-zaken"),
    _ministry(
        "OCW",
        "Ministerie van Onderwijs, Cultuur en Wetenschap",
        "ministerie-van-onderwijs-cultuur-en-wetenschap",
    ),
)

# The fields the seed owns; a description or website the bureau wrote is never overwritten.
SEEDED_FIELDS = ("kind", "name", "abbreviation", "municipality_id", "network_id")


@transaction.atomic
def reference_organisations_load() -> Counts:
    """Seed the reference organisations; a second run changes nothing.

    The partner networks, the M50 itself, Platform31 and the ministries, and one organisation
    per current municipality. Found again by their municipality or network link, else by slug.
    """
    networks = {network.code: network for network in registry.network_list()}
    existing = list(Organisation.objects.all())
    by_slug = {o.slug: o for o in existing}
    by_municipality = {o.municipality_id: o for o in existing if o.municipality_id}
    by_network = {o.network_id: o for o in existing if o.network_id}
    taken = set(by_slug)

    wanted: list[tuple[Organisation | None, dict]] = []
    for seed in REFERENCE_ORGANISATIONS:
        network = networks.get(seed.network_code) if seed.network_code else None
        values = {
            "kind": seed.kind,
            "name": seed.name or (network.name if network else seed.abbreviation),
            "abbreviation": seed.abbreviation,
            "municipality_id": None,
            "network_id": network.pk if network else None,
            "website": seed.website,
            "slug": seed.slug,
        }
        current = (by_network.get(network.pk) if network else None) or by_slug.get(seed.slug)
        wanted.append((current, values))
    for municipality in registry.municipality_list(status=registry.Status.ACTIVE):
        # Stored data, not interface text: not translated.
        name = f"Gemeente {municipality.name}"
        current = by_municipality.get(municipality.pk)
        values = {
            "kind": Organisation.Kind.MUNICIPALITY,
            "name": name,
            "abbreviation": "",
            "municipality_id": municipality.pk,
            "network_id": None,
            "website": "",
            "slug": current.slug if current else "",
        }
        wanted.append((current, values))

    counts = Counts()
    to_create, to_update = [], []
    for current, values in wanted:
        if current is None:
            if not values["slug"] or values["slug"] in taken:
                values["slug"] = _unique_slug(values["name"], taken=taken)
            taken.add(values["slug"])
            to_create.append(Organisation(**values))
            continue
        changed = [name for name in SEEDED_FIELDS if getattr(current, name) != values[name]]
        if values["website"] and not current.website:
            changed.append("website")
        if changed:
            for name in changed:
                setattr(current, name, values[name])
            to_update.append(current)
        else:
            counts.unchanged += 1
    Organisation.objects.bulk_create(to_create)
    Organisation.objects.bulk_update(to_update, [*SEEDED_FIELDS, "website"])
    counts.created, counts.updated = len(to_create), len(to_update)
    return counts
