"""Pages of organisations and people: who holds which position where, current and past."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from m50.accounts.permissions import has_rule
from m50.contacts import selectors
from m50.contacts.forms import OrganisationFilterForm
from m50.contacts.models import Organisation, Person
from m50.core.access import rule_required

PAGE_SIZE = 25
PAGE_PARAMETER = "pagina"


@rule_required("contacts.view")
def organisation_list(request):
    form = OrganisationFilterForm(request.GET)
    form.is_valid()  # Errors are shown; the valid filters still apply.
    paginator = Paginator(selectors.organisation_list(**form.filters()), PAGE_SIZE)
    page = paginator.get_page(request.GET.get(PAGE_PARAMETER))
    return render(
        request,
        "contacts/organisation_list.html",
        {
            "form": form,
            "page": page,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        },
    )


@rule_required("contacts.view")
def organisation_detail(request, slug: str):
    try:
        organisation = selectors.organisation_detail(slug=slug)
    except Organisation.DoesNotExist as exc:
        raise Http404 from exc
    current, past = selectors.split_current(organisation.positions.all())
    return render(
        request,
        "contacts/organisation_detail.html",
        {
            "organisation": organisation,
            "current_positions": current,
            "past_positions": past,
            "can_view_contact_details": has_rule(request.user, "contacts.view_contact_details"),
        },
    )


@rule_required("contacts.view")
def person_detail(request, pk: int):
    try:
        person = selectors.person_detail(pk=pk)
    except Person.DoesNotExist as exc:
        raise Http404 from exc
    current, past = selectors.split_current(person.positions.all())
    return render(
        request,
        "contacts/person_detail.html",
        {
            "person": person,
            "current_positions": current,
            "past_positions": past,
            "can_view_contact_details": has_rule(request.user, "contacts.view_contact_details"),
        },
    )
