"""Pages of organisations and people: who holds which position where, current and past, and
the forms with which the bureau (any organisation) and a member contact (its own municipality)
keep them up to date."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from m50.accounts.permissions import has_rule
from m50.contacts import selectors, services
from m50.contacts.forms import (
    OrganisationFilterForm,
    OrganisationForm,
    PersonForm,
    PersonPositionForm,
    PositionEndForm,
    PositionForm,
)
from m50.contacts.models import Organisation, Person, Position
from m50.core.access import rule_required
from m50.core.formats import long_date

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
            "can_manage": has_rule(request.user, "contacts.manage"),
        },
    )


@rule_required("contacts.view")
def organisation_detail(request, slug: str):
    try:
        organisation = selectors.organisation_detail(slug=slug)
    except Organisation.DoesNotExist as exc:
        raise Http404 from exc
    current, past = selectors.split_current(organisation.positions.all())
    can_manage = may_manage_organisation(request.user, organisation)
    manageable = set()
    if can_manage:
        positions = organisation.positions.all()
        if has_rule(request.user, "contacts.manage"):
            manageable = {p.pk for p in positions}
        else:
            # A member contact manages the people who are at its municipality now (a
            # municipality has one organisation, so these positions tell).
            present = {p.person_id for p in positions if selectors.has_not_ended(p)}
            manageable = {p.pk for p in positions if p.person_id in present}
    return render(
        request,
        "contacts/organisation_detail.html",
        {
            "organisation": organisation,
            "current_positions": current,
            "past_positions": past,
            "can_view_contact_details": has_rule(request.user, "contacts.view_contact_details"),
            "can_manage": can_manage,
            "manageable": manageable,
            "can_edit_organisation": has_rule(request.user, "contacts.manage"),
        },
    )


@rule_required("contacts.view")
def person_detail(request, pk: int):
    try:
        person = selectors.person_detail(pk=pk)
    except Person.DoesNotExist as exc:
        raise Http404 from exc
    current, past = selectors.split_current(person.positions.all())
    can_manage = _may_manage_person(request.user, person, person.positions.all())
    return render(
        request,
        "contacts/person_detail.html",
        {
            "person": person,
            "current_positions": current,
            "past_positions": past,
            "can_view_contact_details": has_rule(request.user, "contacts.view_contact_details"),
            "can_manage": can_manage,
            "manageable": {
                p.pk
                for p in person.positions.all()
                if can_manage and may_manage_organisation(request.user, p.organisation)
            },
        },
    )


# --- Managing people, positions and organisations ---------------------------------------------

ORIGIN = "webformulier"


def manage_or_own(view):
    """The bureau (``contacts.manage``), or a member contact (``contacts.manage_own``): the view
    then checks that the object is of the contact's own municipality, and answers 404 if not."""
    own = rule_required("contacts.manage_own")(view)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if has_rule(request.user, "contacts.manage"):
            return view(request, *args, **kwargs)
        return own(request, *args, **kwargs)

    wrapped.permission_rule = "contacts.manage_own"
    return wrapped


def may_manage_organisation(user, organisation: Organisation) -> bool:
    if has_rule(user, "contacts.manage"):
        return True
    return (
        has_rule(user, "contacts.manage_own")
        and organisation.municipality_id is not None
        and organisation.municipality_id == user.municipality_id
    )


def _may_manage_person(user, person: Person, positions=None) -> bool:
    """For the bureau any person; for a member contact one with a position at its own
    municipality that has not ended (a person who moved on is the new municipality's to keep).
    ``positions``, when already fetched, saves a query."""
    if has_rule(user, "contacts.manage"):
        return True
    if not has_rule(user, "contacts.manage_own") or user.municipality_id is None:
        return False
    if positions is not None:
        return any(
            p.organisation.municipality_id == user.municipality_id and selectors.has_not_ended(p)
            for p in positions
        )
    return selectors.person_at_municipality(
        person_id=person.pk, municipality_id=user.municipality_id
    )


def _bound(request):
    return request.POST if request.method == "POST" else None


def _organisation_or_404(slug: str) -> Organisation:
    try:
        return selectors.organisation_detail(slug=slug)
    except Organisation.DoesNotExist as exc:
        raise Http404 from exc


def _person_or_404(request, pk: int) -> Person:
    try:
        person = Person.objects.get(pk=pk)
    except Person.DoesNotExist as exc:
        raise Http404 from exc
    # Another municipality's person does not exist for a member contact.
    if not _may_manage_person(request.user, person):
        raise Http404
    return person


def _form_page(request, form, *, title, intro, submit_label, cancel_url, trail, **extra):
    return render(
        request,
        "contacts/manage_form.html",
        {
            "form": form,
            "title": title,
            "intro": intro,
            "submit_label": submit_label,
            "cancel_url": cancel_url,
            "trail": trail,
            **extra,
        },
    )


def _person_url(person: Person) -> str:
    return reverse("contacts:person_detail", args=[person.pk])


def _organisation_url(organisation: Organisation) -> str:
    return reverse("contacts:organisation_detail", args=[organisation.slug])


@rule_required("contacts.manage")
def person_create(request):
    form = PersonForm(_bound(request))
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(
                actor=request.user, origin=ORIGIN, **form.person_values()
            )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(
                request,
                _("%(name)s is toegevoegd. Voeg hieronder een functie toe.")
                % {"name": person.full_name},
            )
            return redirect(reverse("contacts:position_create", args=[person.pk]))
    return _form_page(
        request,
        form,
        title=_("Persoon toevoegen"),
        intro=_(
            "Voeg een persoon toe; daarna legt u vast welke functie de persoon heeft bij welke "
            "organisatie. Contactgegevens zien alleen het bureau en public affairs."
        ),
        submit_label=_("Persoon toevoegen"),
        cancel_url=reverse("contacts:organisation_list"),
        trail=[],
    )


@manage_or_own
def person_edit(request, pk: int):
    person = _person_or_404(request, pk)
    contact_details = has_rule(request.user, "contacts.view_contact_details")
    form = PersonForm(_bound(request), contact_details=contact_details)
    # Prefill only the fields the form has: no e-mail address or phone number for who may not
    # see them.
    form.initial = {name: getattr(person, name) for name in form.fields}
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(
                person=person, actor=request.user, origin=ORIGIN, **form.person_values()
            )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(
                request, _("De gegevens van %(name)s zijn opgeslagen.") % {"name": person}
            )
            return redirect(_person_url(person))
    return _form_page(
        request,
        form,
        title=_("Gegevens wijzigen van %(name)s") % {"name": person.full_name},
        intro=(
            _("Wijzig de naam of de contactgegevens. De functies wijzigt u op de persoonspagina.")
            if contact_details
            else _("Wijzig de naam. De functies wijzigt u op de persoonspagina.")
        ),
        submit_label=_("Gegevens opslaan"),
        cancel_url=_person_url(person),
        trail=[(person.full_name, _person_url(person))],
    )


@manage_or_own
def position_create(request, pk: int):
    person = _person_or_404(request, pk)
    if has_rule(request.user, "contacts.manage"):
        organisations = selectors.organisation_choices()
    else:
        organisations = selectors.municipal_organisations(
            municipality_id=request.user.municipality_id
        )
    initial = {}
    if len(organisations) == 1:
        initial["organisation"] = str(organisations[0].pk)
    form = PositionForm(_bound(request), organisations=organisations, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            position = services.position_create(
                person=person, actor=request.user, origin=ORIGIN, **form.position_values()
            )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(
                request,
                _("De functie is vastgelegd: %(function)s bij %(organisation)s.")
                % {
                    "function": position.get_function_display(),
                    "organisation": position.organisation.name,
                },
            )
            return redirect(_person_url(person))
    return _form_page(
        request,
        form,
        title=_("Functie toevoegen voor %(name)s") % {"name": person.full_name},
        intro=_(
            "Leg vast welke functie %(name)s heeft of had, bij welke organisatie en van "
            "wanneer tot wanneer. Dezelfde functie bij dezelfde organisatie kan niet twee keer "
            "in dezelfde periode."
        )
        % {"name": person.full_name},
        submit_label=_("Functie vastleggen"),
        cancel_url=_person_url(person),
        trail=[(person.full_name, _person_url(person))],
    )


@manage_or_own
def organisation_person_create(request, slug: str):
    organisation = _organisation_or_404(slug)
    if not may_manage_organisation(request.user, organisation):
        raise Http404
    form = PersonPositionForm(
        _bound(request),
        contact_details=has_rule(request.user, "contacts.view_contact_details"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            # The person is added with their position, or not at all.
            with transaction.atomic():
                person = services.person_create(
                    actor=request.user, origin=ORIGIN, **form.person_values()
                )
                services.position_create(
                    person=person,
                    organisation=organisation,
                    actor=request.user,
                    origin=ORIGIN,
                    **form.position_values(),
                )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(
                request,
                _("%(name)s is toegevoegd bij %(organisation)s.")
                % {"name": person.full_name, "organisation": organisation.name},
            )
            return redirect(_organisation_url(organisation))
    return _form_page(
        request,
        form,
        title=_("Persoon toevoegen bij %(organisation)s") % {"organisation": organisation.name},
        intro=_(
            "Voeg een nieuwe persoon toe met de functie die hij of zij bij %(organisation)s "
            "heeft. Staat de persoon al in het systeem, voeg dan op diens persoonspagina een "
            "functie toe."
        )
        % {"organisation": organisation.name},
        submit_label=_("Persoon en functie vastleggen"),
        cancel_url=_organisation_url(organisation),
        trail=[(organisation.name, _organisation_url(organisation))],
    )


@manage_or_own
def position_end(request, position_id: int):
    try:
        position = selectors.position_detail(pk=position_id)
    except Position.DoesNotExist as exc:
        raise Http404 from exc
    if not may_manage_organisation(request.user, position.organisation):
        raise Http404
    if not _may_manage_person(request.user, position.person):
        raise Http404
    form = PositionEndForm(
        _bound(request), position=position, initial={"end_date": position.end_date}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.position_end(
                position=position,
                end_date=form.cleaned_data["end_date"],
                actor=request.user,
                origin=ORIGIN,
            )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(
                request,
                _("De functie van %(name)s eindigt op %(date)s.")
                % {
                    "name": position.person.full_name,
                    "date": long_date(position.end_date),
                },
            )
            return redirect(_person_url(position.person))
    start = long_date(position.start_date) if position.start_date else _("een onbekende datum")
    return _form_page(
        request,
        form,
        title=_("Functie beëindigen: %(position)s") % {"position": position},
        intro=_(
            "%(name)s is %(function)s bij %(organisation)s sinds %(start)s. Vul de laatste dag "
            "in functie in; een eerder vastgelegde einddatum kunt u hier ook corrigeren. Wat "
            "op deze functie rust, zoals deelnames aan pijlers en themagroepen, eindigt op "
            "dezelfde dag."
        )
        % {
            "name": position.person.full_name,
            "function": position.get_function_display(),
            "organisation": position.organisation.name,
            "start": start,
        },
        submit_label=_("Functie beëindigen"),
        cancel_url=_person_url(position.person),
        trail=[(position.person.full_name, _person_url(position.person))],
    )


@rule_required("contacts.manage")
def organisation_create(request):
    form = OrganisationForm(_bound(request))
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(
                actor=request.user, origin=ORIGIN, **form.organisation_values()
            )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(request, _("%(name)s is toegevoegd.") % {"name": organisation.name})
            return redirect(_organisation_url(organisation))
    return _form_page(
        request,
        form,
        title=_("Organisatie toevoegen"),
        intro=_(
            "Voeg een organisatie toe waarmee het M50 werkt. Gemeenten en netwerken komen uit "
            "de registers en hoeven niet te worden toegevoegd."
        ),
        submit_label=_("Organisatie toevoegen"),
        cancel_url=reverse("contacts:organisation_list"),
        trail=[],
    )


@rule_required("contacts.manage")
def organisation_edit(request, slug: str):
    organisation = _organisation_or_404(slug)
    seeded = services.organisation_is_seeded(organisation)
    initial = {name: getattr(organisation, name) for name in services.ORGANISATION_FIELDS}
    form = OrganisationForm(_bound(request), seeded=seeded, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                organisation=organisation,
                actor=request.user,
                origin=ORIGIN,
                **form.organisation_values(),
            )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(
                request, _("De gegevens van %(name)s zijn opgeslagen.") % {"name": organisation}
            )
            return redirect(_organisation_url(organisation))
    intro = _("Wijzig de gegevens van de organisatie.")
    if seeded:
        intro = _(
            "Soort, naam en afkorting van deze organisatie komen uit het gemeente- of "
            "netwerkregister; hier wijzigt u de website en de omschrijving."
        )
    return _form_page(
        request,
        form,
        title=_("Gegevens wijzigen van %(name)s") % {"name": organisation.name},
        intro=intro,
        submit_label=_("Gegevens opslaan"),
        cancel_url=_organisation_url(organisation),
        trail=[(organisation.name, _organisation_url(organisation))],
    )
