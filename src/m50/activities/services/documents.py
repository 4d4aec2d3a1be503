"""Documents of an activity (agenda, presentation, minutes): added and removed by whoever
manages it. The file is stored under a random name; the name it was uploaded with is kept for
the download."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from m50.activities import rules
from m50.activities.documents import check_upload
from m50.activities.models import Activity, ActivityDocument, DocumentKind
from m50.core.audit import audit_record, diff
from m50.core.uploads import clean_filename
from m50.core.versions import ACTIVITIES, changes


@changes(ACTIVITIES)
def _document_record(*, activity, actor, kind, title, checked, stored_name, filename, origin):
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    document = ActivityDocument(
        activity=activity,
        kind=kind,
        title=title,
        filename=filename,
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    document.file.name = stored_name
    document.save()
    audit_record(
        action="activities.document_add",
        obj=document,
        actor=actor,
        origin=origin,
        changes=diff(
            {}, {"kind": kind, "title": title, "filename": filename, "size": checked.size}
        ),
    )
    return document


def document_add(
    *, activity: Activity, actor, kind: str, title: str, uploaded_file, origin: str = ""
) -> ActivityDocument:
    """Adds a document to ``activity``: checked (size, then type from its content), stored,
    recorded and audited. A file stored for a write that fails is removed again."""
    if actor is not None and not rules.may_manage(actor, activity):
        raise ValidationError(_("U mag bij deze activiteit geen documenten toevoegen."))
    errors = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = _("Geef het document een titel.")
    elif len(title) > 200:
        errors["title"] = _("Gebruik hoogstens 200 tekens voor de titel.")
    if kind not in DocumentKind.values:
        errors["kind"] = _("Kies wat voor document het is.")
    if uploaded_file is None:
        errors["file"] = _("Kies een bestand.")
    if errors:
        raise ValidationError(errors)
    checked = check_upload(uploaded_file)
    filename = clean_filename(uploaded_file.name, checked.extension)
    field = ActivityDocument._meta.get_field("file")
    # A random name: nothing of the uploader's name reaches the disk or the address.
    target = field.generate_filename(None, f"{secrets.token_hex(16)}.{checked.extension}")
    uploaded_file.seek(0)
    stored_name = field.storage.save(target, uploaded_file, max_length=field.max_length)
    try:
        return _document_record(
            activity=activity,
            actor=actor,
            kind=kind,
            title=title,
            checked=checked,
            stored_name=stored_name,
            filename=filename,
            origin=origin,
        )
    except BaseException:
        field.storage.delete(stored_name)
        raise


@changes(ACTIVITIES)
def document_remove(*, document: ActivityDocument, actor, origin: str = "") -> None:
    """Removes a document; its file goes once the removal is committed."""
    document = ActivityDocument.objects.select_related("activity").get(pk=document.pk)
    if actor is not None and not rules.may_manage(actor, document.activity):
        raise ValidationError(_("U mag de documenten van deze activiteit niet verwijderen."))
    Activity.objects.select_for_update().filter(pk=document.activity_id).first()
    audit_record(
        action="activities.document_remove",
        obj=document,
        actor=actor,
        origin=origin,
        changes=diff({"title": document.title, "filename": document.filename}, {}),
    )
    storage, name = document.file.storage, document.file.name
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))
