"""Documents of an activity: added and removed by its organisers, downloaded by whoever sees
the activity. A download is always an attachment of the type found when it was added, never
shown in the browser as a page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from m50.activities import documents, services
from m50.activities.forms import DocumentForm
from m50.activities.models import ActivityDocument
from m50.activities.views.manage import (
    ORIGIN,
    _bound,
    _status,
    activity_for,
    manage_url,
    managed_activity,
)
from m50.core.access import rule_required


def _document(activity, document_pk: int) -> ActivityDocument:
    try:
        return activity.documents.get(pk=document_pk)
    except ActivityDocument.DoesNotExist as exc:
        raise Http404 from exc


@rule_required("activities.manage_own")
def document_add(request, pk: int):
    activity = managed_activity(request.user, pk)
    form = DocumentForm(
        _bound(request),
        request.FILES if request.method == "POST" else None,
        max_size=filesizeformat(documents.max_bytes()),
    )
    if request.method == "POST" and form.is_valid():
        try:
            document = services.document_add(
                activity=activity,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                uploaded_file=form.cleaned_data["file"],
                origin=ORIGIN,
            )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(
                request, _("Het document %(title)s is toegevoegd.") % {"title": document.title}
            )
            return redirect(manage_url(activity) + "#documenten")
    return render(
        request,
        "activities/document_form.html",
        {
            "form": form,
            "activity": activity,
            "title": _("Document toevoegen: %(title)s") % {"title": activity.title},
            "manage_url": manage_url(activity),
        },
        status=_status(form),
    )


@require_POST
@rule_required("activities.manage_own")
def document_remove(request, pk: int, document_pk: int):
    activity = managed_activity(request.user, pk)
    document = _document(activity, document_pk)
    try:
        services.document_remove(document=document, actor=request.user, origin=ORIGIN)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Het document %(title)s is verwijderd.") % {"title": document.title}
        )
    return redirect(manage_url(activity) + "#documenten")


@rule_required("activities.view_documents")
def document(request, pk: int, document_pk: int):
    activity = activity_for(request.user, pk)
    document = _document(activity, document_pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    # The type found from the content when it was added; never one a browser would render.
    content_type = document.content_type
    if content_type not in documents.ALLOWED_TYPES:
        content_type = "application/octet-stream"
    if content_type.startswith("text/"):
        content_type += "; charset=utf-8"
    response = FileResponse(
        handle, as_attachment=True, filename=document.filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response
