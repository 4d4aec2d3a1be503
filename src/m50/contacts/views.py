from django.http import Http404
from django.shortcuts import render

from m50.contacts import selectors
from m50.contacts.models import Organisation, Person
from m50.core.access import rule_required


@rule_required("contacts.view")
def organisation_list(request):
    return render(
        request,
        "contacts/organisation_list.html",
        {"organisations": selectors.organisation_list()[:50]},
    )


@rule_required("contacts.view")
def organisation_detail(request, slug: str):
    try:
        organisation = selectors.organisation_detail(slug=slug)
    except Organisation.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "contacts/organisation_detail.html", {"organisation": organisation})


@rule_required("contacts.view")
def person_detail(request, pk: int):
    try:
        person = selectors.person_detail(pk=pk)
    except Person.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "contacts/person_detail.html", {"person": person})
