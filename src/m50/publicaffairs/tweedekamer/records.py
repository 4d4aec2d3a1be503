"""From a Tweede Kamer record (a dict as the API sends it) to the values of our model."""

from __future__ import annotations

import datetime
import functools
import uuid

from django.utils.translation import gettext as _

from m50.publicaffairs.models import MotionSubmitter

# Links to a document's text: the publication site (Koop) by file name, and the
# Gegevensmagazijn's own copy of the document.
PUBLICATION_URL = "https://zoek.officielebekendmakingen.nl/{file_name}"
RESOURCE_URL = "https://gegevensmagazijn.tweedekamer.nl/OData/v4/2.0/Document({id})/resource"

SUBMITTER_ROLES = {
    "indiener": MotionSubmitter.Role.SUBMITTER,
    "medeindiener": MotionSubmitter.Role.CO_SIGNER,
}


class RecordError(ValueError):
    """A record with a value of the wrong type; the file it is in is not applied."""


def is_placeholder(record: dict) -> bool:
    """The API's empty entities: an id, and every other field null."""
    return all(value is None for key, value in record.items() if key != "Id")


def is_deleted(record: dict) -> bool:
    return record.get("Verwijderd") is True


def text(record: dict, key: str, limit: int | None = None) -> str:
    value = record.get(key)
    if value is None:
        return ""
    if not isinstance(value, str | int | float):
        raise RecordError(_("%(field)s is geen tekst") % {"field": key})
    value = str(value).strip()
    return value[:limit] if limit else value


def integer(record: dict, key: str) -> int | None:
    value = record.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise RecordError(_("%(field)s is geen geheel getal") % {"field": key})
    return value


def boolean(record: dict, key: str) -> bool | None:
    value = record.get(key)
    if value is None or isinstance(value, bool):
        return value
    raise RecordError(_("%(field)s is geen ja/nee") % {"field": key})


def moment(record: dict, key: str) -> datetime.datetime | None:
    value = record.get(key)
    if value is None:
        return None
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise RecordError(_("%(field)s is geen tijdstip") % {"field": key}) from exc
    if parsed.tzinfo is None:
        raise RecordError(_("%(field)s heeft geen tijdzone") % {"field": key})
    return parsed


def day(record: dict, key: str) -> datetime.date | None:
    """The calendar date as the Tweede Kamer wrote it (its own time zone), not UTC's."""
    value = record.get(key)
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError as exc:
        raise RecordError(_("%(field)s is geen datum") % {"field": key}) from exc


@functools.lru_cache(maxsize=4096)
def _uuid_of(text: str) -> uuid.UUID:
    # A page of 250 votes names one decision 15 times and the same 15 fracties throughout.
    return uuid.UUID(text)


def ref(record: dict | None, key: str) -> uuid.UUID | None:
    value = (record or {}).get(key)
    if value is None:
        return None
    try:
        return _uuid_of(value if type(value) is str else str(value))
    except ValueError as exc:
        raise RecordError(_("%(field)s is geen geldig id") % {"field": key}) from exc


def fractie_values(record: dict) -> dict:
    return {
        "number": integer(record, "Nummer"),
        "name": text(record, "NaamNL", 200),
        "abbreviation": text(record, "Afkorting", 100),
        "seats": integer(record, "AantalZetels"),
        "active_from": day(record, "DatumActief"),
        "active_to": day(record, "DatumInactief"),
    }


def committee_values(record: dict) -> dict:
    return {
        "number": integer(record, "Nummer"),
        "kind": text(record, "Soort", 100),
        "name": text(record, "NaamNL", 300),
        "abbreviation": text(record, "Afkorting", 100),
        "active_from": day(record, "DatumActief"),
        "active_to": day(record, "DatumInactief"),
    }


def display_name(record: dict) -> str:
    first = text(record, "Roepnaam") or text(record, "Initialen")
    parts = [first, text(record, "Tussenvoegsel"), text(record, "Achternaam")]
    return " ".join(part for part in parts if part)[:300]


def member_values(record: dict) -> dict:
    # Deliberately not read: Geboortedatum, Geboorteplaats, Geboorteland, Geslacht,
    # Overlijdensdatum, Overlijdensplaats (data minimisation: the work does not need them).
    return {
        "number": integer(record, "Nummer"),
        "titles": text(record, "Titels", 100),
        "initials": text(record, "Initialen", 50),
        "first_name": text(record, "Roepnaam", 100),
        "surname_prefix": text(record, "Tussenvoegsel", 50),
        "surname": text(record, "Achternaam", 200),
        "display_name": display_name(record),
        "function": text(record, "Functie", 100),
        "residence": text(record, "Woonplaats", 200),
    }


def fractie_membership_values(record: dict) -> dict:
    seat = record.get("FractieZetel")
    return {
        "tk_member_id": ref(record, "Persoon_Id"),
        "tk_fractie_id": ref(seat, "Fractie_Id") if isinstance(seat, dict) else None,
        "function": text(record, "Functie", 100),
        "start": day(record, "Van"),
        "end": day(record, "TotEnMet"),
    }


def membership_values(record: dict, *, substitute: bool) -> dict:
    seat = record.get("CommissieZetel")
    committee = ref(seat, "Commissie_Id") if isinstance(seat, dict) else None
    return {
        "tk_committee_id": committee,
        "tk_member_id": ref(record, "Persoon_Id"),
        "function": text(record, "Functie", 100),
        "substitute": substitute,
        "start": day(record, "Van"),
        "end": day(record, "TotEnMet"),
    }


def is_motion(record: dict) -> bool:
    return text(record, "Soort").lower().startswith("motie")


def documents(record: dict) -> list[dict]:
    """The motion's documents with links to their text, from ``$expand=Document(
    $expand=HuidigeDocumentVersie($expand=DocumentPublicatie))``."""
    result = []
    for document in record.get("Document") or []:
        if not isinstance(document, dict) or is_placeholder(document) or is_deleted(document):
            continue
        version = document.get("HuidigeDocumentVersie") or {}
        files = []
        for publication in (version.get("DocumentPublicatie") or []) if version else []:
            if not isinstance(publication, dict) or not publication.get("FileName"):
                continue
            files.append(
                {
                    "type": text(publication, "DocumentType"),
                    "name": text(publication, "FileName"),
                    "url": text(publication, "Url")
                    or PUBLICATION_URL.format(file_name=text(publication, "FileName")),
                }
            )
        if document.get("Id"):
            files.append(
                {
                    "type": "Gegevensmagazijn",
                    "name": text(document, "DocumentNummer"),
                    "url": RESOURCE_URL.format(id=text(document, "Id")),
                }
            )
        date = day(document, "Datum")
        result.append(
            {
                "number": text(document, "DocumentNummer"),
                "kind": text(document, "Soort"),
                "title": text(document, "Onderwerp") or text(document, "Titel"),
                "date": date.isoformat() if date else "",
                "identifier": text(version, "ExterneIdentifier") if version else "",
                "files": files,
            }
        )
    return result


def motion_values(record: dict) -> dict:
    values = {
        "source": "tweede_kamer",
        "number": text(record, "Nummer", 50),
        "kind": text(record, "Soort", 100),
        "title": text(record, "Titel"),
        "subject": text(record, "Onderwerp"),
        "date": day(record, "GestartOp"),
        "parliamentary_year": text(record, "Vergaderjaar", 20),
        "serial_number": integer(record, "Volgnummer"),
        "status": text(record, "Status", 100),
        "settled": boolean(record, "Afgedaan"),
        "cabinet_appraisal": text(record, "Kabinetsappreciatie", 300),
    }
    # Only when the page expanded the documents; otherwise the ones we have stay.
    if "Document" in record:
        values["documents"] = documents(record)
    return values


def submitter_values(record: dict) -> dict | None:
    """A submitter or co-signer; None for the other actors of a Zaak (the committee, ...)."""
    role = SUBMITTER_ROLES.get(text(record, "Relatie").lower())
    if role is None:
        return None
    return {
        "tk_motion_id": ref(record, "Zaak_Id"),
        "tk_member_id": ref(record, "Persoon_Id"),
        "role": role,
        "name": text(record, "ActorNaam", 300),
        "fractie_name": text(record, "ActorFractie", 200),
    }


def lead_committee_of(record: dict) -> uuid.UUID | None:
    """The committee a ZaakActor names as the motion's lead committee (*voortouw*)."""
    if text(record, "Relatie").lower() == "voortouwcommissie":
        return ref(record, "Commissie_Id")
    return None


def _zaak_ids(record: dict) -> list[dict]:
    zaken = record.get("Zaak")
    if isinstance(zaken, list):
        return [zaak for zaak in zaken if isinstance(zaak, dict)]
    agenda_item = record.get("Agendapunt")
    if isinstance(agenda_item, dict) and isinstance(agenda_item.get("Zaak"), list):
        return [zaak for zaak in agenda_item["Zaak"] if isinstance(zaak, dict)]
    return []


def decision_motion_id(record: dict) -> uuid.UUID | None:
    """The motion a decision is about, when the page expanded its Zaak (directly or through
    its agenda item); the first motion among them, else the only Zaak."""
    zaken = [zaak for zaak in _zaak_ids(record) if zaak.get("Id")]
    motions = [zaak for zaak in zaken if is_motion(zaak)]
    chosen = motions[:1] or (zaken if len(zaken) == 1 else [])
    return ref(chosen[0], "Id") if chosen else None


def decision_values(record: dict) -> dict:
    kind = text(record, "BesluitSoort", 200)
    result = ""
    if kind.lower().startswith("stemmen - "):
        result = kind[len("stemmen - ") :].strip().capitalize()
    values = {
        "tk_agenda_item_id": ref(record, "Agendapunt_Id"),
        "kind": kind,
        "text": text(record, "BesluitTekst"),
        "result": result[:100],
        "vote_kind": text(record, "StemmingsSoort", 100),
        "status": text(record, "Status", 100),
        "note": text(record, "Opmerking"),
        "order": integer(record, "AgendapuntZaakBesluitVolgorde"),
    }
    motion = decision_motion_id(record)
    # Without the expansion the link found before stays.
    if motion is not None:
        values["tk_motion_id"] = motion
    return values


def vote_values(record: dict) -> dict:
    return {
        "tk_decision_id": ref(record, "Besluit_Id"),
        "tk_fractie_id": ref(record, "Fractie_Id"),
        "tk_member_id": ref(record, "Persoon_Id"),
        "kind": text(record, "Soort", 50),
        "actor_name": text(record, "ActorNaam", 300),
        "actor_fractie": text(record, "ActorFractie", 200),
        "fractie_size": integer(record, "FractieGrootte"),
        "mistake": bool(boolean(record, "Vergissing")),
    }


def activity_values(record: dict) -> dict:
    return {
        "number": text(record, "Nummer", 50),
        "kind": text(record, "Soort", 200),
        "subject": text(record, "Onderwerp"),
        "date": day(record, "Datum"),
        "start": moment(record, "Aanvangstijd"),
        "end": moment(record, "Eindtijd"),
        "location": text(record, "Locatie", 300),
        "status": text(record, "Status", 100),
        "closed_session": boolean(record, "Besloten"),
        "tk_committee_id": ref(record, "Voortouwcommissie_Id"),
        "committee_name": text(record, "Voortouwnaam", 300),
    }
