"""The library: browsing the items one may see, an item's page with its context, and its file.

Every read comes from :mod:`m50.knowledge.selectors`, scoped to the visitor: an item one may not
see is a 404 on its page and its download, and counts in no filter. The list is paginated in
the database; a page costs the same queries for ten items as for ten thousand.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from m50.accounts.permissions import has_rule
from m50.core.access import rule_required
from m50.core.models import Theme
from m50.knowledge import rules, selectors
from m50.knowledge.forms import LibraryFilterForm
from m50.knowledge.models import Access, KnowledgeDocument, KnowledgeItem, Status
from m50.knowledge.services import DOCUMENT_TYPES
from m50.pillars import selectors as pillars
from m50.pillars.forms import body_label

PAGE_SIZE = 25
PAGE_PARAMETER = "pagina"
# How many of one's own unpublished items the library's page lists.
OWN_SIZE = 10


def row(item: KnowledgeItem) -> dict:
    return {
        "item": item,
        "url": reverse("knowledge:detail", args=[item.pk]),
        "themes": [theme.name for theme in item.themes.all()],
    }


def filter_form(request) -> LibraryFilterForm:
    user = request.user
    form = LibraryFilterForm(
        request.GET,
        themes=list(Theme.objects.filter(active=True)),
        pillar_list=list(pillars.pillar_list()),
        municipalities=selectors.item_municipalities(user=user),
        counts=selectors.filter_counts(items=selectors.item_list(user=user)),
    )
    form.is_valid()  # Errors are shown; the valid filters still apply.
    return form


def may_start(user) -> bool:
    """Whether ``user`` may add an item at all (the services decide on each one): the bureau,
    a member's official (an example of their own municipality), a chair (for their pillar or
    group). At most one query."""
    if not user.is_authenticated:
        return False
    if has_rule(user, "knowledge.manage"):
        return True
    if has_rule(user, "knowledge.submit") and user.municipality_id:
        return True
    person_id = getattr(user, "person_id", None)
    return bool(person_id) and bool(pillars.chaired_by(person_id=person_id))


@rule_required("knowledge.view")
def item_list(request):
    user = request.user
    form = filter_form(request)
    queryset = selectors.item_list(user=user, **form.filters())
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get(PAGE_PARAMETER))
    page.rows = [row(item) for item in page.object_list]
    own = [row(item) for item in selectors.own_unpublished(user=user)[:OWN_SIZE]]
    return render(
        request,
        "knowledge/list.html",
        {
            "form": form,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(
                page.number, on_each_side=2, on_ends=1
            ),
            "own": own,
            "can_create": may_start(user),
            "logged_in": user.is_authenticated,
            "reviews": user.is_authenticated
            and has_rule(user, "knowledge.manage_own")
            and selectors.submissions_to_review(user=user).exists(),
        },
    )


def visible_item(request, pk: int) -> KnowledgeItem:
    try:
        return selectors.item_detail(user=request.user, pk=pk)
    except KnowledgeItem.DoesNotExist as exc:
        raise Http404 from exc


def actions_of(user, item: KnowledgeItem) -> dict:
    """What ``user`` may do with ``item`` (the rules'; the page shows the matching buttons)."""
    if not user.is_authenticated:
        return {}
    return {
        "edit": rules.may_edit(user, item),
        "version_add": rules.may_add_version(user, item),
        "submit": rules.may_submit(user, item),
        "accept": rules.may_accept(user, item),
        "reject": rules.may_reject(user, item),
        "withdraw": rules.may_withdraw(user, item),
    }


@rule_required("knowledge.view")
def item_detail(request, pk: int):
    item = visible_item(request, pk)
    user = request.user
    versions = [
        {
            "document": document,
            "url": reverse("knowledge:download", args=[item.pk, document.version]),
        }
        for document in selectors.document_versions(item=item)
    ]
    pillar = item.pillar or (item.theme_group.pillar if item.theme_group_id else None)
    # The activity it came from, to who may see that too (its title is the activity's).
    activity = item.activity
    if activity is not None and not rules.may_name_activity(user, activity):
        activity = None
    return render(
        request,
        "knowledge/detail.html",
        {
            "item": item,
            "themes": list(item.themes.all()),
            "pillar": pillar,
            "activity": activity,
            "access_text": _access_text(item),
            "current": versions[0] if versions else None,
            "older": versions[1:],
            "related": [row(related) for related in _related(user, item)],
            "actions": actions_of(user, item),
            "withdrawn": item.status == Status.WITHDRAWN,
            "published": item.status == Status.PUBLISHED,
        },
    )


def _access_text(item: KnowledgeItem) -> str:
    if item.access == Access.BODY and item.body is not None:
        return _("de deelnemers van %(body)s") % {"body": body_label(item.body)}
    return str(item.get_access_display())


def _related(user, item):
    related = selectors.related_items(user=user, item=item)
    # Their themes in one query for all of them.
    prefetch_related_objects(related, "themes")
    return related


@rule_required("knowledge.view")
def download(request, pk: int, version: int | None = None):
    try:
        document = selectors.document_detail(user=request.user, item_pk=pk, version=version)
    except KnowledgeDocument.DoesNotExist as exc:
        raise Http404 from exc
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    # The type found from the content when it was added; never one a browser would render.
    content_type = document.content_type
    if content_type not in DOCUMENT_TYPES:
        content_type = "application/octet-stream"
    response = FileResponse(
        handle, as_attachment=True, filename=document.filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Sections of other pages ------------------------------------------------------------------

#: How many items the page of a pillar, theme group, topic or municipality shows.
SECTION_SIZE = 5


def items_section_context(
    request, *, pillar=None, theme_group=None, topic=None, municipality=None
) -> dict:
    """The newest published items the visitor may see of a pillar (with its groups'), theme
    group, topic or municipality, for that page (include ``knowledge/_items_section.html``),
    with a link to the library filtered on it where the library has that filter. Two queries."""
    items = selectors.item_list(
        user=request.user,
        pillar=pillar,
        theme_group=theme_group,
        topic=topic,
        municipality=municipality,
    )[:SECTION_SIZE]
    list_url = ""
    if pillar is not None:
        list_url = f"{reverse('knowledge:list')}?pijler={pillar.slug}"
    elif municipality is not None:
        list_url = f"{reverse('knowledge:list')}?gemeente={municipality.code}"
    return {"knowledge_items": {"rows": [row(item) for item in items], "list_url": list_url}}
