"""Writes on organisations, people and positions, and the seeding of reference organisations."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils.text import slugify
from django.utils.translation import gettext as _

from m50.contacts import search
from m50.contacts.models import Organisation, Person, Position
from m50.core.audit import audit_record, diff
from m50.core.formats import long_date
from m50.municipalities import selectors as registry
from m50.municipalities.services import Counts

SLUG_MAX_LENGTH = Organisation._meta.get_field("slug").max_length
# Sent inside position_end's transaction when a position's end date is set or moved, with
# ``position``, ``end_date``, ``previous_end_date``, ``actor`` and ``origin``: what rests on
# the position elsewhere (a participation in a pillar) ends with it, atomically, without this
# app knowing those apps.
position_ended = Signal()

# Path segments of /organisaties/ that an organisation's slug must not take.
RESERVED_SLUGS = frozenset({"nieuw", "personen", "functies"})


def _unique_slug(text: str, *, taken: set[str] | None = None) -> str:
    """A slug for ``text`` not yet in use: ``base``, else ``base-2``, ``base-3``, ..."""
    base = slugify(text)[: SLUG_MAX_LENGTH - 4].strip("-") or "organisatie"
    if taken is None:
        taken = set(
            Organisation.objects.filter(slug__startswith=base).values_list("slug", flat=True)
        )
    taken = taken | RESERVED_SLUGS
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


# Fields each write may change, and which of them the seed of reference organisations owns
# (an organisation linked to a municipality or network gets those from the seed, so editing
# them by hand would be undone by the next `load-reference-data`).
ORGANISATION_FIELDS = ("kind", "name", "abbreviation", "website", "description")
ORGANISATION_SEEDED_FIELDS = ("kind", "name", "abbreviation")
PERSON_FIELDS = ("given_name", "surname_prefix", "surname", "email", "phone")
POSITION_FIELDS = ("person", "organisation", "function", "title", "portfolio")


def _values(obj, fields) -> dict:
    return {name: getattr(obj, name) for name in fields}


def _strip(value):
    return value.strip() if isinstance(value, str) else value


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
    actor=None,
    origin: str = "",
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
        website=website.strip(),
        description=description.strip(),
        municipality=municipality,
        network=network,
    )
    organisation.full_clean()
    organisation.save()
    audit_record(
        action="organisation.create",
        obj=organisation,
        actor=actor,
        origin=origin,
        changes=diff({}, _values(organisation, ORGANISATION_FIELDS)),
    )
    search.organisation_index(organisation)
    return organisation


def organisation_is_seeded(organisation: Organisation) -> bool:
    """Whether the reference data owns the organisation's kind, name and abbreviation."""
    return bool(organisation.municipality_id or organisation.network_id)


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, actor=None, origin: str = "", **changes
) -> Organisation:
    """Change an organisation's own fields; the seeded ones of a municipality's or network's
    organisation are refused (they follow the registry)."""
    unknown = set(changes) - set(ORGANISATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown organisation fields: {sorted(unknown)}")
    changes = {name: _strip(value) for name, value in changes.items()}
    old = _values(organisation, ORGANISATION_FIELDS)
    if organisation_is_seeded(organisation):
        fixed = [
            name
            for name in ORGANISATION_SEEDED_FIELDS
            if name in changes and changes[name] != old[name]
        ]
        if fixed:
            raise ValidationError(
                {
                    name: _(
                        "Dit gegeven komt uit het gemeente- of netwerkregister en kan hier "
                        "niet worden gewijzigd."
                    )
                    for name in fixed
                }
            )
    if "kind" in changes and changes["kind"] not in Organisation.Kind.values:
        raise ValidationError(
            {"kind": _("Onbekende soort organisatie: %(kind)s.") % {"kind": changes["kind"]}}
        )
    if "name" in changes and not changes["name"]:
        raise ValidationError({"name": _("Een organisatie heeft een naam.")})
    for name, value in changes.items():
        setattr(organisation, name, value)
    organisation.full_clean()
    changed = diff(old, _values(organisation, ORGANISATION_FIELDS))
    if changed:
        organisation.save(update_fields=list(changed))
        audit_record(
            action="organisation.update",
            obj=organisation,
            actor=actor,
            origin=origin,
            changes=changed,
        )
        search.organisation_index(organisation)
    return organisation


@transaction.atomic
def person_create(
    *,
    surname: str,
    given_name: str = "",
    surname_prefix: str = "",
    email: str = "",
    phone: str = "",
    actor=None,
    origin: str = "",
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
    audit_record(
        action="person.create",
        obj=person,
        actor=actor,
        origin=origin,
        changes=diff({}, _values(person, PERSON_FIELDS)),
    )
    search.person_index(person)
    return person


@transaction.atomic
def person_update(*, person: Person, actor=None, origin: str = "", **changes) -> Person:
    """Change a person's name or contact details."""
    unknown = set(changes) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    changes = {name: _strip(value) for name, value in changes.items()}
    if "surname" in changes and not changes["surname"]:
        raise ValidationError({"surname": _("Vul een achternaam in.")})
    old = _values(person, PERSON_FIELDS)
    for name, value in changes.items():
        setattr(person, name, value)
    person.full_clean()
    changed = diff(old, _values(person, PERSON_FIELDS))
    if changed:
        person.save(update_fields=list(changed))
        audit_record(
            action="person.update", obj=person, actor=actor, origin=origin, changes=changed
        )
        search.person_index(person)
    return person


@transaction.atomic
def person_delete(*, person: Person, actor=None, origin: str = "") -> None:
    """Remove a person with their positions (for instance on a request under the AVG)."""
    positions = [str(position) for position in person.positions.select_related("organisation")]
    audit_record(
        action="person.delete",
        obj=person,
        actor=actor,
        origin=origin,
        changes=diff(
            {**_values(person, PERSON_FIELDS), "positions": "; ".join(positions)},
            {"positions": ""},
        ),
    )
    person_id = person.pk
    person.delete()
    # Removed under the AVG: nothing of them stays findable.
    search.person_unindex(person_id=person_id)


def _check_dates(start_date: datetime.date | None, end_date: datetime.date | None) -> None:
    if start_date and end_date and end_date < start_date:
        raise ValidationError(
            {
                "end_date": _("De einddatum (%(end)s) ligt vóór de begindatum (%(start)s).")
                % {"end": long_date(end_date), "start": long_date(start_date)}
            }
        )


def _overlaps(a_start, a_end, b_start, b_end) -> bool:
    """Whether two periods (inclusive; an empty date is open) share a day."""
    return (a_end is None or b_start is None or b_start <= a_end) and (
        b_end is None or a_start is None or a_start <= b_end
    )


def _check_no_overlap(position: Position) -> None:
    """The same person in the same function at the same organisation holds it once at a time:
    a second, overlapping registration is a duplicate (a new term is a new period)."""
    same = Position.objects.filter(
        person_id=position.person_id,
        organisation_id=position.organisation_id,
        function=position.function,
    ).exclude(pk=position.pk)
    for other in same:
        if _overlaps(position.start_date, position.end_date, other.start_date, other.end_date):
            period = _("%(start)s tot en met %(end)s") % {
                "start": long_date(other.start_date) if other.start_date else _("onbekend"),
                "end": long_date(other.end_date) if other.end_date else _("heden"),
            }
            raise ValidationError(
                _(
                    "%(person)s is al %(function)s bij %(organisation)s in een periode die "
                    "hiermee overlapt (%(period)s). Beëindig of corrigeer die functie eerst."
                )
                % {
                    "person": position.person.full_name,
                    "function": position.get_function_display(),
                    "organisation": position.organisation.name,
                    "period": period,
                },
                code="overlap",
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
    actor=None,
    origin: str = "",
) -> Position:
    """A person's function at an organisation; the end date, if any, is not before the start,
    and the same function at the same organisation does not overlap an earlier one."""
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
    # Serialise additions for one person, so two at once cannot both pass the overlap check.
    Person.objects.select_for_update().filter(pk=person.pk).first()
    _check_no_overlap(position)
    position.save()
    audit_record(
        action="position.create",
        obj=position,
        actor=actor,
        origin=origin,
        changes=diff({}, _values(position, (*POSITION_FIELDS, "start_date", "end_date"))),
    )
    search.person_index(person)
    return position


@transaction.atomic
def position_end(
    *, position: Position, end_date: datetime.date, actor=None, origin: str = ""
) -> Position:
    """End a position on ``end_date`` (the last day in office); a correction may move it."""
    _check_dates(position.start_date, end_date)
    old = {"end_date": position.end_date}
    position.end_date = end_date
    position.save(update_fields=["end_date"])
    changed = diff(old, {"end_date": end_date})
    if changed:
        audit_record(
            action="position.end", obj=position, actor=actor, origin=origin, changes=changed
        )
        position_ended.send(
            sender=Position,
            position=position,
            end_date=end_date,
            previous_end_date=old["end_date"],
            actor=actor,
            origin=origin,
        )
        search.person_index(position.person)
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
    # The bulk writes bypass organisation_index: the index follows in one pass.
    search.organisations_refresh()
    return counts
