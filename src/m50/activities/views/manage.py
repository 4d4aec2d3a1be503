"""The organiser's pages: planning an activity or a series, changing and cancelling it, and
the management page (registrations, waiting list, invitations, attendance, exports).

Who may: rules.may_organise (planning) and rules.may_manage (the rest), checked per object;
who may not see the activity gets a 404, who sees it but does not manage it a 403. Every write
goes through the services; a refusal is shown on its form (400) and nothing is written.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from m50.accounts.permissions import has_rule
from m50.activities import exports, rules, selectors, services
from m50.activities.forms import (
    BUREAU,
    ActivityForm,
    CancelForm,
    PersonPickForm,
    PersonSearchForm,
    SeriesForm,
    WalkInForm,
)
from m50.activities.models import Activity, Attendance, Audience, Invitation, Registration
from m50.activities.models import RegistrationState as State
from m50.contacts import selectors as contacts
from m50.core.access import rule_required
from m50.municipalities import selectors as registry
from m50.pillars import selectors as pillars
from m50.pillars.forms import body_key

ORIGIN = "webformulier"
SEARCH_LIMIT = 25


def _bound(request):
    return request.POST if request.method == "POST" else None


def _status(*forms) -> int:
    return 400 if any(f is not None and f.is_bound and f.errors for f in forms) else 200


def url_if_present(name: str, *args) -> str:
    """The address of a page of activities that another part of the app provides (the agenda,
    an activity's page); empty while that page is not there."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def activity_for(user, pk: int) -> Activity:
    """The activity, if ``user`` may see it; a 404 otherwise."""
    try:
        return selectors.activity_detail(user=user, pk=pk)
    except Activity.DoesNotExist as exc:
        raise Http404 from exc


def managed_activity(user, pk: int) -> Activity:
    activity = activity_for(user, pk)
    if not rules.may_manage(user, activity):
        raise PermissionDenied
    return activity


def manage_url(activity) -> str:
    return reverse("activities:manage", args=[activity.pk])


def back_url(activity) -> str:
    return url_if_present("activities:detail", activity.pk) or manage_url(activity)


# --- Planning and changing ----------------------------------------------------------------------


def _organisers(user) -> list:
    """What ``user`` may plan for: the bureau (None), and the pillars and groups they manage."""
    today = timezone.localdate()
    if has_rule(user, "activities.manage"):
        return [None, *pillars.matrix_bodies(on=today)]
    person_id = getattr(user, "person_id", None)
    chaired = pillars.chaired_by(person_id=person_id, on=today) if person_id else []
    candidates = [body for body in chaired if body.is_running(today)]
    if rules.may_organise(user, organiser=None):
        candidates.insert(0, None)
    return [o for o in candidates if o is None or rules.may_organise(user, organiser=o)]


def _municipality_choices() -> list:
    """The municipalities of today, by name, with only what a select needs."""
    return list(registry.municipality_list().select_related(None).only("pk", "name"))


def _form_context(user, activity=None) -> dict:
    today = timezone.localdate()
    if activity is None:
        organisers = _organisers(user)
        bodies = [o for o in organisers if o is not None]
    else:
        organisers = []
        bodies = [activity.organiser] if activity.organiser is not None else []
    keys = {body_key(b) for b in bodies}
    # One query for the topics of all of them: those of the organisers are offered.
    topics = [t for t in pillars.topic_list() if body_key(t.theme_group or t.pillar) in keys]
    return {
        "organisers": organisers,
        "bodies": pillars.matrix_bodies(on=today),
        "municipalities": _municipality_choices(),
        "topics": topics,
        # A theme no longer in use is offered only to the activity that has it (to keep).
        "themes": pillars.theme_choices(current=activity.themes.all() if activity else ()),
    }


def _plan(request, form_class, template: str, title: str):
    if not rules.may_organise_any(request.user):
        raise PermissionDenied
    context = _form_context(request.user)
    if not context["organisers"]:
        raise PermissionDenied
    form = form_class(_bound(request), **context, initial={"organiser": BUREAU})
    if request.method == "POST" and form.is_valid():
        organiser = form.chosen_organiser()
        fields = form.service_fields()
        try:
            if form_class is SeriesForm:
                series = services.series_plan(
                    actor=request.user,
                    cadence=form.cleaned_data["cadence"],
                    count=form.cleaned_data["count"],
                    organiser=organiser,
                    topics=form.chosen_topics(),
                    themes=form.chosen_themes(),
                    origin=ORIGIN,
                    **fields,
                )
                first = series.activities.order_by("starts_at", "pk").first()
                messages.success(
                    request,
                    _("De reeks %(title)s is gepland: %(count)s keer.")
                    % {"title": series.title, "count": form.cleaned_data["count"]},
                )
                return redirect(manage_url(first))
            activity = services.activity_create(
                actor=request.user,
                organiser=organiser,
                topics=form.chosen_topics(),
                themes=form.chosen_themes(),
                origin=ORIGIN,
                **fields,
            )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(
                request, _("De activiteit %(title)s is gepland.") % {"title": activity.title}
            )
            return redirect(manage_url(activity))
    return render(
        request,
        template,
        {"form": form, "title": title, "agenda_url": url_if_present("activities:agenda")},
        status=_status(form),
    )


@rule_required("activities.manage_own")
def activity_create(request):
    return _plan(request, ActivityForm, "activities/activity_form.html", _("Activiteit plannen"))


@rule_required("activities.manage_own")
def series_create(request):
    return _plan(request, SeriesForm, "activities/activity_form.html", _("Reeks plannen"))


@rule_required("activities.manage_own")
def activity_edit(request, pk: int):
    activity = managed_activity(request.user, pk)
    if activity.is_cancelled:
        messages.error(request, _("Een geannuleerde activiteit kan niet meer worden gewijzigd."))
        return redirect(manage_url(activity))
    form = ActivityForm(_bound(request), **_form_context(request.user, activity), activity=activity)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(
                activity=activity,
                actor=request.user,
                topics=form.chosen_topics(),
                themes=form.chosen_themes(),
                origin=ORIGIN,
                **form.service_fields(),
            )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(request, _("De activiteit is gewijzigd."))
            return redirect(manage_url(activity))
    return render(
        request,
        "activities/activity_form.html",
        {
            "form": form,
            "activity": activity,
            "title": _("%(title)s wijzigen") % {"title": activity.title},
            "manage_url": manage_url(activity),
        },
        status=_status(form),
    )


@rule_required("activities.manage_own")
def activity_cancel(request, pk: int):
    activity = managed_activity(request.user, pk)
    form = CancelForm(_bound(request), in_series=activity.series_id is not None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data.get("whole_series"):
                cancelled = services.series_cancel_from(
                    activity=activity,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                    origin=ORIGIN,
                )
                text = _("%(count)s activiteiten van de reeks zijn geannuleerd.") % {
                    "count": len(cancelled)
                }
            else:
                services.activity_cancel(
                    activity=activity,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                    origin=ORIGIN,
                )
                text = _("De activiteit is geannuleerd.")
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(request, text)
            return redirect(manage_url(activity))
    return render(
        request,
        "activities/activity_cancel.html",
        {
            "form": form,
            "activity": activity,
            "title": _("%(title)s annuleren") % {"title": activity.title},
            "manage_url": manage_url(activity),
        },
        status=_status(form),
    )


# --- The management page ------------------------------------------------------------------------

REGISTER, CANCEL, INVITE, UNINVITE, ATTENDANCE, WALK_IN, UNATTEND = (
    "aanmelden",
    "afmelden",
    "uitnodigen",
    "uitnodiging-intrekken",
    "aanwezigheid",
    "zonder-aanmelding",
    "aanwezigheid-schrappen",
)


PREFIXES = {REGISTER: "aanmelden", INVITE: "uitnodigen", WALK_IN: "binnen"}


def _people(request, posted: str) -> tuple[PersonSearchForm, list]:
    """The people found by the search box; when posting, the one person posted."""
    if posted:
        value = request.POST.get(f"{PREFIXES.get(posted, '')}-person", "")
        people = contacts.people_by_pk(pks=[int(value)]) if value.isdigit() else []
        return PersonSearchForm(), people
    search = PersonSearchForm(request.GET)
    if not search.is_valid() or not search.cleaned_data["zoek"]:
        return search, []
    return search, contacts.person_search(search=search.cleaned_data["zoek"], limit=SEARCH_LIMIT)


def _one(model, pk: str, activity: Activity):
    try:
        return model.objects.get(pk=int(pk), activity=activity)
    except (ValueError, TypeError, model.DoesNotExist) as exc:
        raise Http404 from exc


def _post(request, activity: Activity, forms: dict):
    """Does the action posted; returns a redirect, or None with the refusal on its form."""
    user, action = request.user, request.POST.get("actie", "")
    try:
        if action in (REGISTER, INVITE):
            form = forms[action]
            if not form.is_valid():
                return None
            if action == REGISTER:
                registration = services.registration_create(
                    activity=activity,
                    person=form.chosen_person(),
                    actor=user,
                    note=form.cleaned_data.get("note", ""),
                    origin=ORIGIN,
                )
                if registration.state == State.WAITLISTED:
                    text = _("%(person)s staat op de wachtlijst.")
                else:
                    text = _("%(person)s is aangemeld.")
                text %= {"person": registration.person.full_name}
            else:
                invitation = services.invitation_add(
                    activity=activity, person=form.chosen_person(), actor=user, origin=ORIGIN
                )
                text = _("%(person)s is uitgenodigd.") % {"person": invitation.person.full_name}
        elif action == CANCEL:
            registration = _one(Registration, request.POST.get("registration"), activity)
            services.registration_cancel(registration=registration, actor=user, origin=ORIGIN)
            text = _("De aanmelding van %(person)s is ingetrokken.") % {
                "person": registration.person.full_name
            }
        elif action == UNINVITE:
            invitation = _one(Invitation, request.POST.get("invitation"), activity)
            services.invitation_remove(invitation=invitation, actor=user, origin=ORIGIN)
            text = _("De uitnodiging van %(person)s is ingetrokken.") % {
                "person": invitation.person.full_name
            }
        elif action == ATTENDANCE:
            wanted = {int(v) for v in request.POST.getlist("aanwezig") if v.isdigit()}
            present = list(activity.registrations.filter(pk__in=wanted))
            if len(present) != len(wanted):
                raise ValidationError(_("Kies alleen aanmeldingen van deze activiteit."))
            services.attendance_record(
                activity=activity, actor=user, present=present, origin=ORIGIN
            )
            text = _("De aanwezigheid is vastgelegd; aangemeld en aanwezig: %(count)s.") % {
                "count": len(present)
            }
        elif action == WALK_IN:
            form = forms[WALK_IN]
            if not form.is_valid():
                return None
            attendance = services.attendance_add_walk_in(
                activity=activity, actor=user, origin=ORIGIN, **form.walk_in()
            )
            text = _("%(name)s staat als aanwezig genoteerd.") % {"name": attendance.name}
        elif action == UNATTEND:
            attendance = _one(Attendance, request.POST.get("attendance"), activity)
            services.attendance_remove(attendance=attendance, actor=user, origin=ORIGIN)
            text = _("%(name)s staat niet meer als aanwezig genoteerd.") % {"name": attendance.name}
        else:
            raise ValidationError(_("Deze handeling bestaat niet."))
    except ValidationError as error:
        forms.get(action, forms["general"]).add_refusal(error)
        return None
    messages.success(request, text)
    return redirect(manage_url(activity))


class _General(PersonSearchForm):
    """Holds refusals of the actions that have no form of their own (buttons in a list)."""

    def add_refusal(self, error: ValidationError) -> None:
        for message in error.messages:
            self.add_error(None, message)


@rule_required("activities.manage_own")
def manage(request, pk: int):
    activity = managed_activity(request.user, pk)
    posted = request.POST.get("actie", "") if request.method == "POST" else ""
    search, people = _people(request, posted)
    now = timezone.now()
    started = now >= activity.starts_at
    by_invitation = activity.audience == Audience.INVITATION
    municipalities = _municipality_choices() if started else []

    def bound(action):
        return request.POST if posted == action else None

    forms = {
        "general": _General(request.POST if posted else None),
        REGISTER: PersonPickForm(bound(REGISTER), people=people, prefix=PREFIXES[REGISTER]),
        INVITE: PersonPickForm(bound(INVITE), people=people, note=False, prefix=PREFIXES[INVITE]),
        WALK_IN: WalkInForm(
            bound(WALK_IN), people=people, municipalities=municipalities, prefix=PREFIXES[WALK_IN]
        ),
    }
    if posted:
        forms["general"].is_valid()
        response = _post(request, activity, forms)
        if response is not None:
            return response
    registrations = list(selectors.registration_list(activity=activity))
    confirmed = [r for r in registrations if r.state == State.CONFIRMED]
    waiting = [r for r in registrations if r.state == State.WAITLISTED]
    cancelled = [r for r in registrations if r.state == State.CANCELLED]
    attendances = list(selectors.attendance_list(activity=activity))
    attended = {a.registration_id for a in attendances if a.registration_id}
    context = {
        "activity": activity,
        "title": _("Beheer: %(title)s") % {"title": activity.title},
        "search": search,
        "found": [] if posted else people,
        "forms": forms,
        "register_form": forms[REGISTER],
        "invite_form": forms[INVITE],
        "walk_in_form": forms[WALK_IN],
        "general_form": forms["general"],
        "confirmed": confirmed,
        "waiting": waiting,
        "cancelled": cancelled,
        "open_registrations": [*confirmed, *waiting],
        "attended": attended,
        "attendances": attendances,
        "walk_ins": [a for a in attendances if a.walk_in],
        "invitations": list(activity.invitations.select_related("person").order_by("pk"))
        if by_invitation
        else [],
        "by_invitation": by_invitation,
        "started": started,
        "ended": now >= activity.ends_at,
        "cancellable": now < activity.ends_at and not activity.is_cancelled,
        "documents": list(activity.documents.all()),
        "detail_url": url_if_present("activities:detail", activity.pk),
        "actions": {
            "register": REGISTER,
            "cancel": CANCEL,
            "invite": INVITE,
            "uninvite": UNINVITE,
            "attendance": ATTENDANCE,
            "walk_in": WALK_IN,
            "unattend": UNATTEND,
        },
        "exports": [
            (
                label,
                [
                    (fmt.upper(), reverse("activities:export", args=[activity.pk, name, fmt]))
                    for fmt in exports.FORMATS
                ],
            )
            for name, label in exports.LIST_LABELS.items()
        ],
    }
    return render(
        request,
        "activities/manage.html",
        context,
        status=400 if posted and any(f.errors for f in forms.values()) else 200,
    )


@rule_required("activities.manage_own")
def export(request, pk: int, list: str, fmt: str):  # noqa: A002 - the route's name for it
    activity = managed_activity(request.user, pk)
    if list not in exports.LIST_LABELS or fmt not in exports.FORMATS:
        raise Http404
    return exports.export_response(activity, list, fmt)
