"""The agenda: upcoming and past activities as a list and as a month, your own registrations,
and the activities on the page of a pillar or group and of a municipality.

Every list comes from :func:`m50.activities.selectors.activity_list`, so it holds only what
the visitor may see, and is paginated in the database; a page costs the same queries for ten
activities as for ten thousand.
"""

from __future__ import annotations

import calendar
import datetime
import re

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from m50.accounts.permissions import has_rule
from m50.activities import rules, selectors
from m50.activities.models import Activity, Kind
from m50.activities.services._common import local_zone
from m50.core.access import rule_required
from m50.core.formats import long_date
from m50.pillars import selectors as pillars
from m50.pillars.models import Pillar

PAGE_SIZE = 25
PAGE_PARAMETER = "pagina"
PAST_PAGE_PARAMETER = "pagina-verleden"
UPCOMING, PAST = "komend", "verleden"
# How many activities a pillar's, group's or municipality's page shows of each kind.
SECTION_SIZE = 5
SELECT = {"class": "utrecht-select utrecht-select--html-select"}
MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")
WEEKDAYS = (
    gettext_lazy("maandag"),
    gettext_lazy("dinsdag"),
    gettext_lazy("woensdag"),
    gettext_lazy("donderdag"),
    gettext_lazy("vrijdag"),
    gettext_lazy("zaterdag"),
    gettext_lazy("zondag"),
)


# --- How an activity reads --------------------------------------------------------------------


def _local(moment: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(moment, local_zone())


def days_of(activity: Activity) -> tuple[datetime.date, datetime.date]:
    """The first and last day (in Amsterdam) the activity runs on; an end at midnight belongs
    to the day before (an all-day activity ends at midnight after its last day)."""
    start, end = _local(activity.starts_at), _local(activity.ends_at)
    last = end.date()
    if end.time() == datetime.time(0) and last > start.date():
        last -= datetime.timedelta(days=1)
    return start.date(), last


def when_text(activity: Activity) -> str:
    """``3 maart 2027, 10:00–12:00``; all day: ``3 maart 2027`` or ``3 maart 2027 t/m 5 maart
    2027``; over more days: ``3 maart 2027, 10:00 – 4 maart 2027, 16:00``."""
    first, last = days_of(activity)
    if activity.all_day:
        if first == last:
            return _("%(date)s, hele dag") % {"date": long_date(first)}
        return _("%(first)s t/m %(last)s") % {"first": long_date(first), "last": long_date(last)}
    start, end = _local(activity.starts_at), _local(activity.ends_at)
    if first == last:
        return f"{long_date(first)}, {start:%H:%M}–{end:%H:%M}"
    return f"{long_date(first)}, {start:%H:%M} – {long_date(end.date())}, {end:%H:%M}"


def organiser_of(activity: Activity) -> dict:
    """The organiser's name and page (the bureau has none)."""
    if activity.organiser_pillar_id:
        body = activity.organiser_pillar
        return {
            "name": _("Pijler %(name)s") % {"name": body.name},
            "url": reverse("pillars:detail", args=[body.slug]),
        }
    if activity.organiser_theme_group_id:
        body = activity.organiser_theme_group
        return {
            "name": _("Themagroep %(name)s") % {"name": body.name},
            "url": reverse("pillars:group_detail", args=[body.slug]),
        }
    return {"name": _("Het bureau van het M50"), "url": ""}


def place_of(activity: Activity) -> str:
    if activity.address:
        return activity.address.splitlines()[0]
    if activity.host_municipality_id:
        return activity.host_municipality.name
    if activity.online_url:
        return _("online")
    return ""


def places_text(activity: Activity) -> str:
    if activity.is_cancelled or not hasattr(activity, "confirmed_count"):
        return ""
    if activity.capacity is None:
        return _("geen maximum")
    left = activity.capacity - activity.confirmed_count
    if left <= 0:
        return _("vol — wachtlijst")
    if left == 1:
        return _("1 plaats vrij")
    return _("%(count)s plaatsen vrij") % {"count": left}


def row(activity: Activity) -> dict:
    return {
        "activity": activity,
        "when": when_text(activity),
        "organiser": organiser_of(activity),
        "place": place_of(activity),
        "places": places_text(activity),
        "url": reverse("activities:detail", args=[activity.pk]),
    }


# --- The filters ------------------------------------------------------------------------------


def parse_month(value: str) -> datetime.date | None:
    match = MONTH_PATTERN.match(value or "")
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12 or not 1900 <= year <= 2999:
        return None
    return datetime.date(year, month, 1)


class AgendaFilterForm(forms.Form):
    """The filters of the agenda and the month (GET parameters, Dutch names). An invalid
    value is reported and left out; the other filters still apply."""

    soort = forms.ChoiceField(
        label=gettext_lazy("Soort"),
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy("Kies een soort uit de lijst; %(value)s bestaat niet.")
        },
        widget=forms.Select(attrs=SELECT),
    )
    pijler = forms.ChoiceField(
        label=gettext_lazy("Pijler"),
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy("Kies een pijler uit de lijst; %(value)s bestaat niet.")
        },
        widget=forms.Select(attrs=SELECT),
    )
    themagroep = forms.ChoiceField(
        label=gettext_lazy("Themagroep"),
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy(
                "Kies een themagroep uit de lijst; %(value)s bestaat niet."
            )
        },
        widget=forms.Select(attrs=SELECT),
    )
    thema = forms.ChoiceField(
        label=gettext_lazy("Thema"),
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy("Kies een thema uit de lijst; %(value)s bestaat niet.")
        },
        widget=forms.Select(attrs=SELECT),
    )
    gemeente = forms.ChoiceField(
        label=gettext_lazy("Gastgemeente"),
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy(
                "Kies een gemeente uit de lijst; %(value)s is geen gastgemeente."
            )
        },
        widget=forms.Select(attrs=SELECT),
    )
    maand = forms.CharField(
        label=gettext_lazy("Maand (jjjj-mm)"),
        required=False,
        max_length=7,
        widget=forms.TextInput(
            attrs={
                "class": "utrecht-textbox utrecht-textbox--html-input",
                "inputmode": "numeric",
                "autocomplete": "off",
                "size": 8,
            }
        ),
    )

    def __init__(self, data, *, pillar_list, group_list, hosts, theme_list=()):
        super().__init__(data)
        self.pillars = {p.slug: p for p in pillar_list}
        self.groups = {g.slug: g for g in group_list}
        self.themes = {t.slug: t for t in theme_list}
        self.hosts = dict(hosts)
        self.fields["soort"].choices = [("", _("Alle soorten")), *Kind.choices]
        self.fields["pijler"].choices = [
            ("", _("Alle pijlers")),
            *((p.slug, p.name) for p in pillar_list),
        ]
        self.fields["themagroep"].choices = [
            ("", _("Alle themagroepen")),
            *((g.slug, g.name) for g in group_list),
        ]
        # Also themes no longer in use: earlier activities have them.
        self.fields["thema"].choices = [
            ("", _("Alle thema's")),
            *((t.slug, t.name) for t in theme_list),
        ]
        self.fields["gemeente"].choices = [("", _("Alle gemeenten")), *self.hosts.items()]

    def clean_maand(self):
        value = self.cleaned_data["maand"]
        if value and parse_month(value) is None:
            raise forms.ValidationError(
                _("Vul de maand in als jaar en maand, bijvoorbeeld 2027-03.")
            )
        return value

    def filters(self) -> dict:
        """The selector's arguments of the filters that are valid."""
        data = getattr(self, "cleaned_data", {})
        result = {}
        if data.get("soort"):
            result["kind"] = data["soort"]
        if data.get("pijler"):
            result["pillar"] = self.pillars[data["pijler"]]
        if data.get("themagroep"):
            result["theme_group"] = self.groups[data["themagroep"]]
        if data.get("thema"):
            result["theme"] = self.themes[data["thema"]]
        if data.get("gemeente"):
            result["municipality"] = self.hosts_by_code[data["gemeente"]]
        if data.get("maand"):
            result["month"] = parse_month(data["maand"])
        return result


def _host_municipalities(user) -> list:
    """The municipalities hosting an activity the user may see, by name (one query)."""
    rows = (
        Activity.objects.filter(rules.visible_q(user), host_municipality__isnull=False)
        .order_by("host_municipality__name", "host_municipality__code")
        .values_list("host_municipality_id", "host_municipality__code", "host_municipality__name")
        .distinct()
    )
    return list(rows)


def filter_form(request) -> AgendaFilterForm:
    hosts = _host_municipalities(request.user)
    form = AgendaFilterForm(
        request.GET,
        pillar_list=list(pillars.pillar_list()),
        group_list=list(pillars.theme_group_list()),
        hosts=[(code, name) for _pk, code, name in hosts],
        theme_list=list(pillars.theme_list()),
    )
    # The selector filters on the municipality's id: no query to load it.
    form.hosts_by_code = {code: pk for pk, code, _name in hosts}
    form.is_valid()  # Errors are shown; the valid filters still apply.
    return form


def _page_range(page):
    return page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)


def _page(queryset, request, parameter):
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get(parameter))
    page.rows = [row(activity) for activity in page.object_list]
    return page


def _can_create(user) -> bool:
    return rules.may_organise_any(user)


# --- The agenda -------------------------------------------------------------------------------


@rule_required("core.view_public")
def agenda(request):
    form = filter_form(request)
    past = request.GET.get("wanneer") == PAST
    queryset = selectors.activity_list(
        user=request.user, when="past" if past else "upcoming", **form.filters()
    )
    # Places left matter ahead only.
    page = _page(
        queryset if past else selectors.with_registration_counts(queryset), request, PAGE_PARAMETER
    )
    return render(
        request,
        "activities/agenda.html",
        {
            "form": form,
            "past": past,
            "page": page,
            "page_range": _page_range(page),
            "can_create": _can_create(request.user),
            "logged_in": request.user.is_authenticated,
        },
    )


def _month_of(form) -> datetime.date:
    month = form.filters().get("month")
    return month or timezone.localdate().replace(day=1)


def _shift_month(month: datetime.date, step: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + step
    return datetime.date(index // 12, index % 12 + 1, 1)


@rule_required("core.view_public")
def month(request):
    form = filter_form(request)
    first = _month_of(form)
    filters = {**form.filters(), "month": first}
    activities = list(
        selectors.with_registration_counts(
            selectors.activity_list(user=request.user, when="all", **filters)
        )
    )
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    by_day: dict[datetime.date, list] = {}
    for activity in activities:
        start, last = days_of(activity)
        item = row(activity)
        day = max(start, weeks[0][0])
        while day <= min(last, weeks[-1][-1]):
            by_day.setdefault(day, []).append(
                {**item, "continues": day != start, "first_day": start}
            )
            day += datetime.timedelta(days=1)
    today = timezone.localdate()
    return render(
        request,
        "activities/month.html",
        {
            "form": form,
            "month": first,
            "month_name": formats.date_format(first, "F Y"),
            "previous": _shift_month(first, -1),
            "next": _shift_month(first, 1),
            "weekdays": WEEKDAYS,
            "weeks": [
                [
                    {
                        "date": day,
                        "in_month": day.month == first.month,
                        "today": day == today,
                        "items": by_day.get(day, []),
                    }
                    for day in week
                ]
                for week in weeks
            ],
            "count": len(activities),
            "can_create": _can_create(request.user),
        },
    )


# --- Your own registrations -------------------------------------------------------------------


def _registration_page(queryset, request, parameter):
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get(parameter))
    page.rows = [
        {**row(registration.activity), "registration": registration}
        for registration in page.object_list
    ]
    return page


@rule_required("activities.view_members")
def mine(request):
    person_id = getattr(request.user, "person_id", None)
    now = timezone.now()
    registrations = selectors.own_registrations(person_id=person_id)
    upcoming = _registration_page(
        registrations.filter(activity__ends_at__gt=now).order_by(
            "activity__starts_at", "activity_id"
        ),
        request,
        PAGE_PARAMETER,
    )
    past = _registration_page(
        registrations.filter(activity__ends_at__lte=now).order_by(
            "-activity__starts_at", "-activity_id"
        ),
        request,
        PAST_PAGE_PARAMETER,
    )
    return render(
        request,
        "activities/mine.html",
        {
            "has_person": person_id is not None,
            "upcoming": upcoming,
            "upcoming_range": _page_range(upcoming),
            "past": past,
            "past_range": _page_range(past),
            "page_parameter": PAGE_PARAMETER,
            "past_parameter": PAST_PAGE_PARAMETER,
        },
    )


# --- Sections of other pages ------------------------------------------------------------------


def body_activities_context(request, body) -> dict:
    """The upcoming and past activities of a pillar (with its groups') or theme group, for its
    page: a few of each, with a link to the agenda filtered on it. Two queries."""
    is_pillar = isinstance(body, Pillar)
    target = {"pillar": body} if is_pillar else {"theme_group": body}
    parameter = "pijler" if is_pillar else "themagroep"
    user = request.user
    upcoming = selectors.activity_list(user=user, when="upcoming", **target)[:SECTION_SIZE]
    past = selectors.activity_list(user=user, when="past", **target)[:SECTION_SIZE]
    agenda_url = reverse("activities:agenda")
    return {
        "body_activities": {
            "upcoming": [row(a) for a in upcoming],
            "past": [row(a) for a in past],
            "agenda_url": f"{agenda_url}?{parameter}={body.slug}",
            "past_url": f"{agenda_url}?{parameter}={body.slug}&wanneer={PAST}",
        }
    }


def municipality_activities_context(request, municipality) -> dict:
    """The activities a municipality hosted (the latest first, those the visitor may see) and,
    for logged-in users, its attendance per year. Two queries at most."""
    hosted = selectors.hosted_by(municipality=municipality, user=request.user)[:SECTION_SIZE]
    agenda_url = reverse("activities:agenda")
    context = {
        "hosted": [row(a) for a in hosted],
        "municipality": municipality,
        "agenda_url": f"{agenda_url}?gemeente={municipality.code}",
        "past_url": f"{agenda_url}?gemeente={municipality.code}&wanneer={PAST}",
        "attendance": None,
    }
    if has_rule(request.user, "activities.view_members"):
        context["attendance"] = selectors.attendance_per_year(municipality_id=municipality.pk)
    return {"municipality_activities": context}
