"""The page of an activity, and registering for it and cancelling from it.

Who may not see an activity gets a 404 (it does not learn the activity exists). The rules of
registering (the window, the audience, capacity and waiting list) are the services'; a refusal
is shown on the page in Dutch (status 400) and nothing is written.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from m50.activities import rules, selectors, services
from m50.activities.models import Activity, Audience, RegistrationState
from m50.activities.services._common import long_moment
from m50.activities.views.agenda import organiser_of, when_text
from m50.core.access import rule_required

ORIGIN = "webformulier"


class RegisterForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Opmerking (bijvoorbeeld een dieetwens), niet verplicht"),
        required=False,
        max_length=500,
        error_messages={"max_length": gettext_lazy("Gebruik hoogstens %(limit_value)d tekens.")},
        widget=forms.TextInput(
            attrs={"class": "utrecht-textbox utrecht-textbox--html-input", "autocomplete": "off"}
        ),
    )


def _activity(request, pk: int) -> Activity:
    try:
        return selectors.activity_detail(user=request.user, pk=pk)
    except Activity.DoesNotExist as exc:
        raise Http404 from exc


def _audience_text(activity: Activity) -> str:
    if activity.audience == Audience.BODY and activity.audience_body is not None:
        return _("de deelnemers van %(body)s") % {"body": activity.audience_body.name}
    return activity.get_audience_display()


def _window_text(activity: Activity) -> str:
    opens, closes = activity.registration_opens_at, activity.registration_closes_at
    closes = closes or activity.starts_at
    if opens:
        return _("van %(opens)s tot %(closes)s") % {
            "opens": long_moment(opens),
            "closes": long_moment(closes),
        }
    return _("tot %(closes)s") % {"closes": long_moment(closes)}


def _optional_url(name: str, **kwargs) -> str:
    """The address of a page another part of the activities builds; empty while it does not
    exist yet."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""


def detail_context(request, activity: Activity, *, form=None, refusal: str = "") -> dict:
    """Everything on the page of ``activity``; a fixed number of queries."""
    user = request.user
    now = timezone.now()
    person_id = getattr(user, "person_id", None) if user.is_authenticated else None
    summary = selectors.registration_summary(activity=activity)
    own = selectors.registration_of(activity=activity, person_id=person_id)
    ended = now >= activity.ends_at
    window_open = rules.registration_window_open(activity, now=now)
    can_register = (
        own is None
        and not activity.is_cancelled
        and not ended
        and window_open
        and rules.may_register_self(user)
    )
    can_manage = rules.may_manage(user, activity)
    series = []
    if activity.series_id:
        series = [
            {
                "activity": other,
                "when": when_text(other),
                "url": reverse("activities:detail", args=[other.pk]),
            }
            for other in selectors.activity_list(user=user, when="all")
            .filter(series_id=activity.series_id)
            .exclude(pk=activity.pk)
        ]
    documents = [
        {
            "document": document,
            "url": _optional_url("activities:document", pk=activity.pk, document_pk=document.pk),
        }
        for document in activity.documents.all()
    ]
    return {
        "activity": activity,
        "when": when_text(activity),
        "organiser": organiser_of(activity),
        "audience": _audience_text(activity),
        "topics": list(activity.topics.all()),
        "themes": list(activity.themes.all()),
        "summary": summary,
        "own": own,
        "own_confirmed": own is not None and own.state == RegistrationState.CONFIRMED,
        "own_waiting": own is not None and own.state == RegistrationState.WAITLISTED,
        "ended": ended,
        "window_open": window_open,
        "window_text": _window_text(activity),
        "window_not_yet": bool(
            activity.registration_opens_at and now < activity.registration_opens_at
        ),
        "can_register": can_register,
        "can_cancel": own is not None and not ended,
        "logged_in": user.is_authenticated,
        "has_person": person_id is not None,
        "form": form or RegisterForm(auto_id="aanmelden-%s"),
        "refusal": refusal,
        "can_manage": can_manage,
        "series": series,
        "documents": documents,
    }


@rule_required("core.view_public")
def detail(request, pk: int):
    activity = _activity(request, pk)
    return render(request, "activities/detail.html", detail_context(request, activity))


def _refused(request, activity, message: str, form=None):
    context = detail_context(request, activity, form=form, refusal=message)
    return render(request, "activities/detail.html", context, status=400)


def _back(activity) -> str:
    return reverse("activities:detail", args=[activity.pk]) + "#aanmelding"


@rule_required("activities.register")
def register(request, pk: int):
    activity = _activity(request, pk)
    if request.method != "POST":
        return redirect(_back(activity))
    form = RegisterForm(request.POST, auto_id="aanmelden-%s")
    if not form.is_valid():
        return _refused(request, activity, _("Uw aanmelding is niet verwerkt."), form)
    person = getattr(request.user, "person", None)
    if person is None:
        return _refused(
            request,
            activity,
            _("Uw account is niet gekoppeld aan een persoon; u kunt zich niet aanmelden."),
            form,
        )
    try:
        registration = services.registration_create(
            activity=activity,
            person=person,
            actor=request.user,
            note=form.cleaned_data["note"],
            origin=ORIGIN,
        )
    except Activity.DoesNotExist as exc:
        raise Http404 from exc
    except ValidationError as error:
        return _refused(request, activity, " ".join(error.messages), form)
    if registration.state == RegistrationState.CONFIRMED:
        messages.success(request, _("U bent aangemeld voor %(title)s.") % {"title": activity.title})
    else:
        own = selectors.registration_of(activity=activity, person_id=person.pk)
        messages.success(
            request,
            _("%(title)s is vol. U staat op plaats %(position)s van de wachtlijst.")
            % {"title": activity.title, "position": own.waiting_position if own else "?"},
        )
    return redirect(_back(activity))


@rule_required("activities.register")
def cancel_registration(request, pk: int):
    activity = _activity(request, pk)
    if request.method != "POST":
        return redirect(_back(activity))
    person_id = getattr(request.user, "person_id", None)
    own = selectors.registration_of(activity=activity, person_id=person_id)
    if own is None:
        return _refused(request, activity, _("U bent niet aangemeld voor deze activiteit."))
    try:
        services.registration_cancel(registration=own, actor=request.user, origin=ORIGIN)
    except ValidationError as error:
        return _refused(request, activity, " ".join(error.messages))
    if own.state == RegistrationState.WAITLISTED:
        text = _("U staat niet meer op de wachtlijst van %(title)s.")
    else:
        text = _("U bent afgemeld voor %(title)s.")
    messages.success(request, text % {"title": activity.title})
    return redirect(_back(activity))
