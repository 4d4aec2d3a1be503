"""Every write of the knowledge library (DESIGN.md §3): one function per change, atomic, audited,
raising the KNOWLEDGE data version. Bad input raises ValidationError with a Dutch message and
writes nothing: no row, and no file left on disk.

A document's file is checked (size, then the type from its content: PDF, DOCX or ODT), its text
read in a limited child process (:mod:`m50.knowledge.extraction`) before anything is written,
then stored under a random name; if recording it fails, the stored file is removed again.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import secrets
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from m50.core import uploads
from m50.core.audit import audit_record, diff
from m50.core.versions import KNOWLEDGE, changes
from m50.knowledge import extraction, rules, search
from m50.knowledge.models import (
    Access,
    Form,
    Kind,
    KnowledgeDocument,
    KnowledgeItem,
    Status,
    TextStatus,
)
from m50.pillars.models import Pillar, ThemeGroup

#: The types a library document may have.
DOCUMENT_TYPES = frozenset({uploads.PDF, uploads.DOCX, uploads.ODT})

#: What item_create takes and item_update may change (besides the themes).
EDITABLE_FIELDS = (
    "kind",
    "title",
    "summary",
    "date",
    "source_organisation",
    "municipality",
    "topic",
    "activity",
    "link_url",
    "link_publisher",
    "link_published_on",
    "note_what",
    "note_cost",
    "note_contact_person",
    "note_contact_text",
    "access",
)
AUDITED_FIELDS = ("form", *EDITABLE_FIELDS, "pillar", "theme_group", "status")
LINK_FIELDS = ("link_url", "link_publisher", "link_published_on")
NOTE_FIELDS = ("note_what", "note_cost", "note_contact_person", "note_contact_text")


def max_bytes() -> int:
    return settings.M50_KNOWLEDGE_DOCUMENT_MAX_BYTES


def _values(item: KnowledgeItem) -> dict:
    return {name: getattr(item, name) for name in AUDITED_FIELDS}


def _audit(action: str, item, actor, origin: str, before: dict, **extra) -> None:
    """Audit a change of ``item`` and put it in the search index as it is now: every write of
    an item ends here, inside its transaction."""
    after = _values(item) if isinstance(item, KnowledgeItem) else {}
    audit_record(
        action=f"knowledge.{action}",
        obj=item,
        actor=actor,
        origin=origin,
        changes=diff(before, {**after, **extra}),
    )
    if isinstance(item, KnowledgeItem):
        search.item_index(item)


# --- The fields of an item ------------------------------------------------------------------


def _body_fields(body) -> dict:
    if body is None:
        return {"pillar": None, "theme_group": None}
    if isinstance(body, Pillar):
        return {"pillar": body, "theme_group": None}
    if isinstance(body, ThemeGroup):
        return {"pillar": None, "theme_group": body}
    raise TypeError(body)


def _clean(item: KnowledgeItem) -> None:
    """Every rule of one item's own fields; raises with a message per field."""
    errors: dict[str, str] = {}
    for name in ("title", "summary", "link_url", "link_publisher", "note_what", "note_cost"):
        setattr(item, name, (getattr(item, name) or "").strip())
    item.note_contact_text = (item.note_contact_text or "").strip()
    if not item.title:
        errors["title"] = _("Geef het kennisitem een titel.")
    elif len(item.title) > 200:
        errors["title"] = _("Gebruik hoogstens 200 tekens voor de titel.")
    if item.form not in Form.values:
        errors["form"] = _("Kies of het een document, een link of een notitie is.")
    if item.kind not in Kind.values:
        errors["kind"] = _("Kies wat voor kennisitem het is.")
    if item.access not in Access.values:
        errors["access"] = _("Kies wie het kennisitem mag lezen.")
    elif item.access == Access.BODY and item.body is None:
        errors["access"] = _("Kies de pijler of themagroep waarvan de deelnemers het mogen lezen.")
    if item.date is None:
        errors["date"] = _("Vul de datum van het kennisitem in.")
    topic = item.topic
    if topic is not None:
        if item.body is None:
            item.pillar, item.theme_group = topic.pillar, topic.theme_group
        elif (topic.pillar_id, topic.theme_group_id) != (item.pillar_id, item.theme_group_id):
            errors["topic"] = _("Het onderwerp %(topic)s hoort niet bij %(body)s.") % {
                "topic": topic.title,
                "body": item.body,
            }
    if item.form == Form.LINK:
        if not item.link_url:
            errors["link_url"] = _("Vul het adres van de publicatie in.")
        else:
            try:
                URLValidator(schemes=["http", "https"])(item.link_url)
            except ValidationError:
                errors["link_url"] = _("Vul een volledig webadres in, beginnend met https://.")
            if len(item.link_url) > 500:
                errors["link_url"] = _("Gebruik hoogstens 500 tekens voor het adres.")
    elif any(getattr(item, name) for name in LINK_FIELDS):
        errors["link_url"] = _("Alleen een link heeft een adres, uitgever en verschijningsdatum.")
    if item.form == Form.NOTE:
        if not item.note_what:
            errors["note_what"] = _("Beschrijf wat de gemeente heeft gedaan.")
    elif any(getattr(item, name) for name in NOTE_FIELDS):
        errors["note_what"] = _(
            "Alleen een notitie beschrijft wat er is gedaan, wat het kostte en wie je belt."
        )
    if len(item.link_publisher) > 200:
        errors.setdefault("link_publisher", _("Gebruik hoogstens 200 tekens voor de uitgever."))
    if len(item.note_contact_text) > 300:
        errors.setdefault("note_contact_text", _("Gebruik hoogstens 300 tekens."))
    if errors:
        raise ValidationError(errors)


def _check_choices(actor, item: KnowledgeItem, *, activity=True, contact=True) -> None:
    """The activity and the contact person ``actor`` named (``activity``, ``contact``: when
    they were given or changed) must be theirs to name (see rules): a refusal per field."""
    if actor is None:
        return
    errors: dict[str, str] = {}
    if activity and item.activity_id and not rules.may_name_activity(actor, item.activity):
        errors["activity"] = _("Kies een activiteit uit de activiteiten die u kunt zien.")
    person = item.note_contact_person
    if contact and person is not None:
        manages = rules.may_manage_body(actor, item.body)
        choices = rules.contact_choices(actor, body=item.body, manages=manages)
        if not choices.filter(pk=person.pk).exists():
            errors["note_contact_person"] = (
                _("Kies als contactpersoon iemand met een lopende functie uit het relatieregister.")
                if manages
                else _(
                    "Kies als contactpersoon iemand met een functie bij uw eigen gemeente of bij "
                    "de M50."
                )
            )
    if errors:
        raise ValidationError(errors)


def _checked_themes(themes, *, kept=frozenset()) -> list:
    """``themes`` as a list; one no longer in use is refused unless the item has it already."""
    themes = list(themes)
    inactive = [theme for theme in themes if not theme.active and theme.pk not in kept]
    if inactive:
        raise ValidationError(
            {"themes": _("Het thema %(theme)s is niet meer in gebruik.") % {"theme": inactive[0]}}
        )
    return themes


def _theme_names(item: KnowledgeItem) -> str:
    return ", ".join(sorted(item.themes.values_list("slug", flat=True)))


# --- Files ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PreparedFile:
    """A checked upload and its text, read before anything is written."""

    data: bytes
    checked: uploads.CheckedFile
    filename: str
    sha256: str
    extracted: extraction.Extracted


def _prepare(uploaded) -> PreparedFile:
    if uploaded is None:
        raise ValidationError({"file": _("Kies een bestand.")})
    checked = uploads.check_upload(
        uploaded,
        max_bytes=max_bytes(),
        accepted=DOCUMENT_TYPES,
        refusal=_(
            "Dit soort bestand kan niet worden toegevoegd aan de bibliotheek. Kies een PDF, "
            "een Word-bestand (.docx) of een OpenDocument-tekst (.odt)."
        ),
    )
    uploaded.seek(0)
    data = uploaded.read(checked.size + 1)
    if len(data) != checked.size:
        raise ValidationError({"file": _("Het bestand kwam niet volledig binnen.")})
    if checked.content_type != uploads.PDF:
        # A zip bomb is refused before it is stored: its directory says what it unpacks to.
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if extraction.archive_problem(archive):
                raise ValidationError(
                    {
                        "file": _(
                            "Dit bestand is niet opgeslagen: uitgepakt zou het veel te groot "
                            "worden. Sla het opnieuw op in Word of LibreOffice en probeer het "
                            "nog eens."
                        )
                    }
                )
    extracted = extraction.extract_text(
        data, checked.content_type, seconds=settings.M50_KNOWLEDGE_EXTRACT_SECONDS
    )
    return PreparedFile(
        data=data,
        checked=checked,
        filename=uploads.clean_filename(uploaded.name, checked.extension),
        sha256=hashlib.sha256(data).hexdigest(),
        extracted=extracted,
    )


def _store(prepared: PreparedFile) -> str:
    field = KnowledgeDocument._meta.get_field("file")
    # A random name: nothing of the uploader's name reaches the disk or the address.
    target = field.generate_filename(None, f"{secrets.token_hex(16)}.{prepared.checked.extension}")
    # The bytes that were hashed and read are the bytes stored.
    return field.storage.save(target, ContentFile(prepared.data), max_length=field.max_length)


def _discard(stored_name: str) -> None:
    KnowledgeDocument._meta.get_field("file").storage.delete(stored_name)


def _document_record(*, item, prepared: PreparedFile, stored_name: str, actor, origin: str):
    """The next version of ``item``'s file; called with the item locked."""
    latest = item.documents.aggregate(latest=Max("version"))["latest"] or 0
    extracted = prepared.extracted
    document = KnowledgeDocument(
        item=item,
        version=latest + 1,
        filename=prepared.filename,
        content_type=prepared.checked.content_type,
        size=prepared.checked.size,
        sha256=prepared.sha256,
        text=extracted.text,
        text_status=TextStatus.EXTRACTED if extracted.readable else TextStatus.UNREADABLE,
        text_reason=extracted.reason,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    document.file.name = stored_name
    document.save()
    audit_record(
        action="knowledge.document_version_add",
        obj=document,
        actor=actor,
        origin=origin,
        changes=diff(
            {},
            {
                "item": item.pk,
                "version": document.version,
                "filename": document.filename,
                "size": document.size,
                "sha256": document.sha256,
                "text_status": document.text_status,
            },
        ),
    )
    return document


# --- Items ----------------------------------------------------------------------------------


def item_create(
    *,
    actor,
    form: str,
    kind: str,
    title: str,
    summary: str = "",
    date: datetime.date | None = None,
    source_organisation=None,
    municipality=None,
    themes=(),
    body: Pillar | ThemeGroup | None = None,
    topic=None,
    activity=None,
    link_url: str = "",
    link_publisher: str = "",
    link_published_on: datetime.date | None = None,
    note_what: str = "",
    note_cost: str = "",
    note_contact_person=None,
    note_contact_text: str = "",
    access: str = Access.NETWORK,
    uploaded_file=None,
    origin: str = "",
) -> KnowledgeItem:
    """A new item, as a draft (*concept*); ``actor`` must be allowed to make it (the bureau;
    the chair of ``body``; a member's official writing an example of their own municipality).
    A document comes with its file (``uploaded_file``), stored as version 1."""
    item = KnowledgeItem(
        form=form,
        kind=kind,
        title=title,
        summary=summary,
        date=date or timezone.localdate(),
        source_organisation=source_organisation,
        municipality=municipality,
        topic=topic,
        activity=activity,
        link_url=link_url,
        link_publisher=link_publisher,
        link_published_on=link_published_on,
        note_what=note_what,
        note_cost=note_cost,
        note_contact_person=note_contact_person,
        note_contact_text=note_contact_text,
        access=access,
        status=Status.DRAFT,
        created_by=actor if getattr(actor, "pk", None) else None,
        **_body_fields(body),
    )
    _clean(item)
    themes = _checked_themes(themes)
    if actor is not None and not rules.may_create(
        actor, body=item.body, kind=item.kind, municipality_id=item.municipality_id
    ):
        raise ValidationError(_("U mag dit kennisitem niet toevoegen."))
    _check_choices(actor, item)
    if item.form == Form.DOCUMENT:
        prepared = _prepare(uploaded_file)
    elif uploaded_file is not None:
        raise ValidationError({"file": _("Alleen een document heeft een bestand.")})
    else:
        prepared = None
    stored_name = _store(prepared) if prepared else None
    try:
        return _item_record(
            item=item,
            themes=themes,
            prepared=prepared,
            stored_name=stored_name,
            actor=actor,
            origin=origin,
        )
    except BaseException:
        if stored_name:
            _discard(stored_name)
        raise


@changes(KNOWLEDGE)
def _item_record(*, item, themes, prepared, stored_name, actor, origin):
    item.save()
    item.themes.set(themes)
    # The document first, so that the item goes into the index with its text.
    if prepared is not None:
        _document_record(
            item=item, prepared=prepared, stored_name=stored_name, actor=actor, origin=origin
        )
    _audit("item_create", item, actor, origin, {}, themes=_theme_names(item))
    return item


def _locked(item: KnowledgeItem) -> KnowledgeItem:
    return KnowledgeItem.objects.select_for_update().get(pk=item.pk)


@changes(KNOWLEDGE)
def item_update(
    *,
    actor,
    item: KnowledgeItem,
    themes=None,
    body: Pillar | ThemeGroup | None | bool = False,
    origin: str = "",
    **fields,
) -> KnowledgeItem:
    """Changes ``fields`` (any of EDITABLE_FIELDS), the themes (when given) and the pillar or
    group it belongs to (``body``; False: unchanged). Only who may edit it; moving an item to
    another pillar or group is for who manages both."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"item_update() got unexpected fields {sorted(unknown)}")
    item = _locked(item)
    if actor is not None and not rules.may_edit(actor, item):
        raise ValidationError(_("U mag dit kennisitem niet wijzigen."))
    before = {**_values(item), "themes": _theme_names(item)}
    chosen = (item.activity_id, item.note_contact_person_id)
    for name, value in fields.items():
        setattr(item, name, value)
    if body is not False:
        # Who manages the item moves it only to a pillar or group they manage too; the one who
        # wrote an example chooses freely (it is checked below as their own).
        if (
            actor is not None
            and rules.may_manage(actor, item)
            and not rules.may_manage_body(actor, body)
        ):
            raise ValidationError(
                {"body": _("U mag het kennisitem niet bij %(body)s onderbrengen.") % {"body": body}}
            )
        for name, value in _body_fields(body).items():
            setattr(item, name, value)
    _clean(item)
    # The one who wrote it keeps it an example of their own municipality.
    if (
        actor is not None
        and item.status in rules.OWN_EDITABLE
        and not rules.may_manage(actor, item)
        and not rules.may_create(
            actor, body=item.body, kind=item.kind, municipality_id=item.municipality_id
        )
    ):
        raise ValidationError(_("U mag dit kennisitem zo niet opslaan."))
    # Only a new choice: one made before (perhaps by someone else) stays.
    _check_choices(
        actor,
        item,
        activity=item.activity_id != chosen[0],
        contact=item.note_contact_person_id != chosen[1],
    )
    if themes is not None:
        themes = _checked_themes(themes, kept=set(item.themes.values_list("pk", flat=True)))
    item.updated_at = timezone.now()
    item.save()
    if themes is not None:
        item.themes.set(themes)
    _audit("item_update", item, actor, origin, before, themes=_theme_names(item))
    return item


@changes(KNOWLEDGE)
def item_submit(*, actor, item: KnowledgeItem, origin: str = "") -> KnowledgeItem:
    """A member's official submits their example (again, after a rejection): it waits for the
    bureau or the chair of its pillar or group to accept it."""
    item = _locked(item)
    if not rules.may_submit(actor, item):
        raise ValidationError(_("U kunt dit kennisitem niet indienen."))
    before = _values(item)
    item.status = Status.SUBMITTED
    item.status_reason = ""
    item.submitted_at = timezone.now()
    item.submitted_by = actor
    item.save()
    _audit("item_submit", item, actor, origin, before)
    return item


@changes(KNOWLEDGE)
def item_accept(*, actor, item: KnowledgeItem, origin: str = "") -> KnowledgeItem:
    """Publishes ``item``: a submission accepted, or a draft of who manages it."""
    item = _locked(item)
    if item.status not in (Status.SUBMITTED, Status.DRAFT):
        raise ValidationError(
            _("Dit kennisitem is %(status)s en kan niet worden gepubliceerd.")
            % {"status": item.get_status_display()}
        )
    if actor is not None and not rules.may_accept(actor, item):
        raise ValidationError(_("U mag dit kennisitem niet publiceren."))
    if item.form == Form.DOCUMENT and not item.documents.exists():
        raise ValidationError(_("Voeg eerst het bestand van het document toe."))
    before = _values(item)
    now = timezone.now()
    item.status = Status.PUBLISHED
    item.status_reason = ""
    item.published_at = now
    if item.submitted_at is not None:
        item.reviewed_at, item.reviewed_by = now, actor if getattr(actor, "pk", None) else None
    item.save()
    _audit("item_accept", item, actor, origin, before)
    return item


def _reason(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": message})
    return reason


@changes(KNOWLEDGE)
def item_reject(*, actor, item: KnowledgeItem, reason: str, origin: str = "") -> KnowledgeItem:
    """Rejects a submission, saying why; the one who wrote it may change and submit it again."""
    reason = _reason(reason, _("Schrijf waarom het kennisitem is afgewezen."))
    item = _locked(item)
    if actor is not None and not rules.may_reject(actor, item):
        raise ValidationError(_("U kunt dit kennisitem niet afwijzen."))
    before = _values(item)
    item.status = Status.REJECTED
    item.status_reason = reason
    item.reviewed_at = timezone.now()
    item.reviewed_by = actor if getattr(actor, "pk", None) else None
    item.save()
    _audit("item_reject", item, actor, origin, before, status_reason=reason)
    return item


@changes(KNOWLEDGE)
def item_withdraw(*, actor, item: KnowledgeItem, reason: str, origin: str = "") -> KnowledgeItem:
    """Withdraws ``item`` with a reason: it is kept (with its files) but no longer published."""
    reason = _reason(reason, _("Schrijf waarom het kennisitem wordt ingetrokken."))
    item = _locked(item)
    if actor is not None and not rules.may_withdraw(actor, item):
        raise ValidationError(_("U mag dit kennisitem niet intrekken."))
    before = _values(item)
    item.status = Status.WITHDRAWN
    item.status_reason = reason
    item.withdrawn_at = timezone.now()
    item.save()
    _audit("item_withdraw", item, actor, origin, before, status_reason=reason)
    return item


def document_version_add(
    *, actor, item: KnowledgeItem, uploaded_file, origin: str = ""
) -> KnowledgeDocument:
    """A new version of a document item's file; the older versions stay."""
    if item.form != Form.DOCUMENT:
        raise ValidationError({"file": _("Alleen een document heeft een bestand.")})
    if actor is not None and not rules.may_add_version(actor, item):
        raise ValidationError(_("U mag geen nieuwe versie van dit document toevoegen."))
    prepared = _prepare(uploaded_file)
    stored_name = _store(prepared)
    try:
        return _version_record(
            item=item, prepared=prepared, stored_name=stored_name, actor=actor, origin=origin
        )
    except BaseException:
        _discard(stored_name)
        raise


@changes(KNOWLEDGE)
def _version_record(*, item, prepared, stored_name, actor, origin):
    item = _locked(item)
    # Checked again under the lock: the item may have been withdrawn meanwhile.
    if actor is not None and not rules.may_add_version(actor, item):
        raise ValidationError(_("U mag geen nieuwe versie van dit document toevoegen."))
    item.updated_at = timezone.now()
    item.save(update_fields=["updated_at"])
    document = _document_record(
        item=item, prepared=prepared, stored_name=stored_name, actor=actor, origin=origin
    )
    search.item_index(item)  # the new version's text replaces the old one's
    return document
