"""Writing the library: adding and changing items, a new version of a document's file, a
member's example submitted, and the bureau or a chair accepting, rejecting and withdrawing.

The forms parse; the services decide (DESIGN.md §3). A refusal is shown on the form in Dutch
(status 400) and nothing is written. Who may not see an item gets a 404; who sees it but may
not do this with it a 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from m50.accounts.permissions import has_rule
from m50.contacts import selectors as contacts
from m50.core.access import rule_required
from m50.core.models import Theme
from m50.knowledge import rules, selectors, services
from m50.knowledge.forms import ItemForm, ReasonForm, VersionForm
from m50.knowledge.models import Form, Kind, KnowledgeItem, Status
from m50.knowledge.views.library import (
    PAGE_PARAMETER,
    PAGE_SIZE,
    may_start,
    row,
    visible_item,
)
from m50.municipalities import selectors as registry
from m50.pillars import selectors as pillars

ORIGIN = "webformulier"


def _bound(request):
    return request.POST if request.method == "POST" else None


def _files(request):
    return request.FILES if request.method == "POST" else None


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


def _detail(item: KnowledgeItem) -> str:
    return reverse("knowledge:detail", args=[item.pk])


def _max_size() -> str:
    return filesizeformat(services.max_bytes())


def _item_form(request, *, item=None, initial=None) -> ItemForm:
    user = request.user
    themes = Theme.objects.all() if item is not None else Theme.objects.filter(active=True)
    if item is not None:
        people = rules.contact_choices(user, body=item.body)
    else:
        # The pillar or group is chosen on the same form: the services check the person then.
        people = rules.contact_choices(user, manages=rules.manages_some_body(user))
    return ItemForm(
        _bound(request),
        _files(request),
        themes=list(themes),
        bodies=[*pillars.pillar_list(running=True), *pillars.theme_group_list(running=True)],
        municipalities=list(registry.municipality_list().select_related(None).only("pk", "name")),
        topics=list(pillars.topic_list().select_related("pillar", "theme_group")),
        organisations=contacts.organisation_choices(),
        activities=list(rules.activity_choices(user)),
        people=list(people),
        item=item,
        initial=initial,
        max_size=_max_size(),
    )


def _unreadable_notice(request, document) -> None:
    if document is not None and not document.searchable:
        messages.warning(request, document.notice)


@rule_required("knowledge.write")
def item_create(request):
    user = request.user
    if not may_start(user):
        raise PermissionDenied
    initial = {"date": timezone.localdate()}
    if not has_rule(user, "knowledge.manage"):
        # A member's official writes an example of their own municipality.
        initial |= {
            "form": Form.NOTE,
            "kind": Kind.EXAMPLE,
            "municipality": str(user.municipality_id or ""),
        }
    form = _item_form(request, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_create(
                actor=user,
                form=form.cleaned_data["form"],
                uploaded_file=form.cleaned_data.get("file"),
                origin=ORIGIN,
                **form.values(),
            )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(
                request,
                _("Het kennisitem %(title)s is opgeslagen als concept.") % {"title": item.title},
            )
            _unreadable_notice(request, selectors.document_current(item=item))
            return redirect(_detail(item))
    return render(
        request,
        "knowledge/item_form.html",
        {"form": form, "title": _("Kennisitem toevoegen")},
        status=_status(form),
    )


def _item_for(request, pk: int, allowed) -> KnowledgeItem:
    item = visible_item(request, pk)
    if not allowed(request.user, item):
        raise PermissionDenied
    return item


@rule_required("knowledge.write")
def item_edit(request, pk: int):
    item = _item_for(request, pk, rules.may_edit)
    form = _item_form(request, item=item)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        try:
            services.item_update(
                actor=request.user,
                item=item,
                themes=values.pop("themes"),
                body=values.pop("body"),
                origin=ORIGIN,
                **values,
            )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(request, _("De wijzigingen zijn opgeslagen."))
            return redirect(_detail(item))
    return render(
        request,
        "knowledge/item_form.html",
        {
            "form": form,
            "item": item,
            "title": _("Kennisitem wijzigen: %(title)s") % {"title": item.title},
        },
        status=_status(form),
    )


@rule_required("knowledge.write")
def version_add(request, pk: int):
    item = _item_for(request, pk, rules.may_add_version)
    form = VersionForm(_bound(request), _files(request), max_size=_max_size())
    if request.method == "POST" and form.is_valid():
        try:
            document = services.document_version_add(
                actor=request.user,
                item=item,
                uploaded_file=form.cleaned_data["file"],
                origin=ORIGIN,
            )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(
                request,
                _("Versie %(version)s van het bestand is toegevoegd.")
                % {"version": document.version},
            )
            _unreadable_notice(request, document)
            return redirect(_detail(item) + "#bestand")
    return render(
        request,
        "knowledge/version_form.html",
        {
            "form": form,
            "item": item,
            "current": selectors.document_current(item=item),
            "title": _("Nieuwe versie: %(title)s") % {"title": item.title},
        },
        status=_status(form),
    )


def _act(request, pk: int, service, done: str):
    """A button on the item's page: the service decides; a refusal comes back as a message."""
    item = visible_item(request, pk)
    try:
        service(actor=request.user, item=item, origin=ORIGIN)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done % {"title": item.title})
    return redirect(_detail(item))


@require_POST
@rule_required("knowledge.submit")
def item_submit(request, pk: int):
    return _act(
        request,
        pk,
        services.item_submit,
        _("%(title)s is ingediend. Het bureau of de voorzitter beoordeelt het."),
    )


@require_POST
@rule_required("knowledge.write")
def item_accept(request, pk: int):
    return _act(request, pk, services.item_accept, _("%(title)s is gepubliceerd."))


def _reason_page(request, item, *, form, title, button):
    return render(
        request,
        "knowledge/reason_form.html",
        {"form": form, "item": item, "title": title, "button": button},
        status=_status(form),
    )


@rule_required("knowledge.write")
def item_reject(request, pk: int):
    item = _item_for(request, pk, rules.may_manage)
    if item.status != Status.SUBMITTED:
        messages.info(request, _("Dit kennisitem wacht niet op een beoordeling."))
        return redirect(_detail(item))
    form = ReasonForm(
        _bound(request),
        label=_("Waarom wordt het afgewezen?"),
        help_text=_(
            "De indiener ziet deze reden en kan het kennisitem aanpassen en opnieuw indienen."
        ),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.item_reject(
                actor=request.user,
                item=item,
                reason=form.cleaned_data["reason"],
                origin=ORIGIN,
            )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(request, _("%(title)s is afgewezen.") % {"title": item.title})
            return redirect(reverse("knowledge:review"))
    return _reason_page(
        request,
        item,
        form=form,
        title=_("Afwijzen: %(title)s") % {"title": item.title},
        button=_("Afwijzen"),
    )


@rule_required("knowledge.write")
def item_withdraw(request, pk: int):
    item = visible_item(request, pk)
    if item.status == Status.WITHDRAWN:
        messages.info(request, _("Dit kennisitem is al ingetrokken."))
        return redirect(_detail(item))
    if not rules.may_withdraw(request.user, item):
        raise PermissionDenied
    form = ReasonForm(
        _bound(request),
        label=_("Waarom wordt het ingetrokken?"),
        help_text=_(
            "Het kennisitem blijft bewaard, met deze reden, maar is niet meer gepubliceerd."
        ),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.item_withdraw(
                actor=request.user,
                item=item,
                reason=form.cleaned_data["reason"],
                origin=ORIGIN,
            )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(request, _("%(title)s is ingetrokken.") % {"title": item.title})
            return redirect(_detail(item))
    return _reason_page(
        request,
        item,
        form=form,
        title=_("Intrekken: %(title)s") % {"title": item.title},
        button=_("Intrekken"),
    )


@rule_required("knowledge.write")
def review(request):
    items = (
        selectors.submissions_to_review(user=request.user)
        .select_related("submitted_by")
        .prefetch_related("themes")
    )
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get(PAGE_PARAMETER))
    page.rows = [row(item) for item in page.object_list]
    return render(
        request,
        "knowledge/review.html",
        {
            "page": page,
            "page_range": page.paginator.get_elided_page_range(
                page.number, on_each_side=2, on_ends=1
            ),
        },
    )
