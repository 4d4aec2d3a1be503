"""Forms of the organiser's pages: they parse input; the services decide (DESIGN.md §3).

Moments are asked as a date and a time in Amsterdam; an activity of whole days as its first
and last day. A refusal of a service is put on the field it is about (RefusalMixin).
"""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from m50.activities.models import Audience, Cadence, DocumentKind, Kind
from m50.activities.services import SERIES_MAX, all_day_span
from m50.activities.services._common import local_moment, local_zone
from m50.core.forms import date_field, select_field, text_field, textarea_field
from m50.pillars.forms import (
    CHECKBOX,
    TEXTBOX,
    RefusalMixin,
    ThemesMixin,
    body_key,
    body_label,
    themes_field,
)

BUREAU = "bureau"
TIME_INPUT_FORMATS = ["%H:%M", "%H.%M", "%H:%M:%S"]
NUMBER_ERRORS = {
    "invalid": _("Vul een heel getal in."),
    "min_value": _("Vul een aantal van minstens %(limit_value)s in, of laat het leeg."),
    "max_value": _("Vul een aantal van hoogstens %(limit_value)s in."),
}


class ServiceRefusalMixin(RefusalMixin):
    """A refusal of a service names the model's fields; this form asks some of them apart."""

    field_of_service: dict[str, str] = {}

    def add_refusal(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            renamed = {}
            for name, messages in error.message_dict.items():
                renamed.setdefault(self.field_of_service.get(name, name), []).extend(messages)
            error = ValidationError(renamed)
        super().add_refusal(error)


def _time(label, *, help_text=""):
    return forms.TimeField(
        label=label,
        required=False,
        help_text=help_text,
        input_formats=TIME_INPUT_FORMATS,
        widget=forms.TimeInput(attrs={"class": TEXTBOX, "type": "time"}, format="%H:%M"),
        error_messages={"invalid": _("Vul een tijd in als uren:minuten, bijvoorbeeld 14:30.")},
    )


def _number(label, *, required=False, help_text="", max_value=None):
    return forms.IntegerField(
        label=label,
        required=required,
        help_text=help_text,
        min_value=1,
        max_value=max_value,
        widget=forms.NumberInput(attrs={"class": TEXTBOX, "min": 1}),
        error_messages={**NUMBER_ERRORS, "required": _("Vul een aantal in.")},
    )


def _local(value: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(value, local_zone())


class ActivityForm(ThemesMixin, ServiceRefusalMixin, forms.Form):
    """An activity's own fields; the organiser only when planning (it does not change)."""

    field_of_service = {
        "starts_at": "start_date",
        "ends_at": "end_date",
        "audience_pillar": "audience_body",
        "audience_theme_group": "audience_body",
        "organiser_pillar": "organiser",
        "organiser_theme_group": "organiser",
    }

    kind = select_field(_("Soort activiteit"), [("", _("Kies een soort")), *Kind.choices])
    title = text_field(_("Titel"))
    description = textarea_field(_("Omschrijving"), rows=5)
    organiser = select_field(_("Georganiseerd door"))
    all_day = forms.BooleanField(
        label=_("Hele dag (of meer dagen)"),
        required=False,
        help_text=_("Dan gelden alleen de eerste en de laatste dag; tijden worden niet gebruikt."),
        widget=forms.CheckboxInput(attrs={"class": CHECKBOX}),
    )
    start_date = date_field(_("Datum (eerste dag)"), required=True)
    start_time = _time(_("Begintijd"), help_text=_("In Nederlandse tijd, bijvoorbeeld 14:00."))
    end_date = date_field(_("Einddatum (laatste dag)"), help_text=_("Leeg: dezelfde dag."))
    end_time = _time(_("Eindtijd"), help_text=_("In Nederlandse tijd, bijvoorbeeld 16:30."))
    address = textarea_field(_("Adres"), rows=2)
    host_municipality = select_field(_("Gastgemeente"), required=False)
    online_url = forms.URLField(
        label=_("Link voor online deelname"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Alleen wie een plaats heeft ziet deze link."),
        widget=forms.URLInput(attrs={"class": TEXTBOX}),
        error_messages={"invalid": _("Vul een volledig webadres in, beginnend met https://.")},
    )
    audience = select_field(_("Voor wie"), Audience.choices)
    audience_body = select_field(
        _("Pijler of themagroep"),
        required=False,
        help_text=_("Alleen bij ‘één pijler of themagroep’."),
    )
    topics = forms.MultipleChoiceField(
        label=_("Onderwerpen"),
        required=False,
        help_text=_("Onderwerpen van de pijler of themagroep die de activiteit organiseert."),
        widget=forms.CheckboxSelectMultiple(attrs={"class": CHECKBOX}),
        error_messages={"invalid_choice": _("Kies onderwerpen uit de lijst.")},
    )
    themes = themes_field(
        _("Waar de activiteit over gaat, in de thema's die het hele netwerk gebruikt.")
    )
    registration_opens_date = date_field(_("Aanmelden kan vanaf"), help_text=_("Leeg: meteen."))
    registration_closes_date = date_field(
        _("Aanmelden kan tot en met"), help_text=_("Leeg: tot de activiteit begint.")
    )
    capacity = _number(_("Aantal plaatsen"), help_text=_("Leeg: geen grens."))
    municipality_limit = _number(_("Plaatsen per gemeente"), help_text=_("Leeg: geen grens."))

    def __init__(
        self,
        *args,
        organisers=(),
        municipalities=(),
        bodies=(),
        topics=(),
        themes=(),
        activity=None,
        **kw,
    ):
        """``organisers``: None for the bureau, pillars and groups; ``topics``: those of the
        organisers; ``themes``: those to offer; ``activity``: the one being changed (no
        organiser to choose)."""
        if activity is not None and not kw.get("initial"):
            kw["initial"] = self.initial_of(activity)
        super().__init__(*args, **kw)
        self.organisers = {(BUREAU if o is None else body_key(o)): o for o in organisers}
        self.bodies = {body_key(b): b for b in bodies}
        self.municipalities = {str(m.pk): m for m in municipalities}
        self.topic_objects = {str(t.pk): t for t in topics}
        if activity is not None:
            del self.fields["organiser"]
        else:
            self.fields["organiser"].choices = [
                (key, _("Het bureau") if o is None else body_label(o))
                for key, o in self.organisers.items()
            ]
        self.fields["host_municipality"].choices = [("", _("Geen"))] + [
            (key, m.name) for key, m in self.municipalities.items()
        ]
        self.fields["audience_body"].choices = [("", _("Kies een pijler of themagroep"))] + [
            (key, body_label(b)) for key, b in self.bodies.items()
        ]
        self.fields["topics"].choices = [
            (key, f"{t.theme_group or t.pillar}: {t.title}")
            for key, t in self.topic_objects.items()
        ]
        self.offer_themes(themes)

    @staticmethod
    def initial_of(activity) -> dict:
        start, end = _local(activity.starts_at), _local(activity.ends_at)
        last = end - datetime.timedelta(days=1) if activity.all_day else end
        initial = {
            "kind": activity.kind,
            "title": activity.title,
            "description": activity.description,
            "all_day": activity.all_day,
            "start_date": start.date(),
            "end_date": last.date(),
            "start_time": None if activity.all_day else start.time(),
            "end_time": None if activity.all_day else end.time(),
            "address": activity.address,
            "host_municipality": str(activity.host_municipality_id or ""),
            "online_url": activity.online_url,
            "audience": activity.audience,
            "audience_body": body_key(activity.audience_body) if activity.audience_body else "",
            "topics": [str(pk) for pk in activity.topics.values_list("pk", flat=True)],
            "themes": [theme.slug for theme in activity.themes.all()],
            "capacity": activity.capacity,
            "municipality_limit": activity.municipality_limit,
        }
        if activity.registration_opens_at:
            initial["registration_opens_date"] = _local(activity.registration_opens_at).date()
        if activity.registration_closes_at:
            closes = _local(activity.registration_closes_at) - datetime.timedelta(seconds=1)
            initial["registration_closes_date"] = closes.date()
        return initial

    def clean(self):
        data = super().clean()
        first, last = data.get("start_date"), data.get("end_date") or data.get("start_date")
        if first is None:
            return data
        if data.get("all_day"):
            if last < first:
                self.add_error("end_date", _("De laatste dag ligt vóór de eerste dag."))
                return data
            data["starts_at"], data["ends_at"] = all_day_span(first, last)
            return data
        missing = False
        for name, message in (
            ("start_time", _("Vul een begintijd in, of kies ‘hele dag’.")),
            ("end_time", _("Vul een eindtijd in, of kies ‘hele dag’.")),
        ):
            if data.get(name) is None and name not in self.errors:
                self.add_error(name, message)
                missing = True
        if missing or "start_time" in self.errors or "end_time" in self.errors:
            return data
        data["starts_at"] = local_moment(first, data["start_time"])
        data["ends_at"] = local_moment(last, data["end_time"])
        return data

    def service_fields(self) -> dict:
        """The keyword arguments of activity_create and activity_update; moments in UTC, as
        stored, so that saving a moment unchanged is no change (nor a new calendar SEQUENCE)."""
        data = self.cleaned_data
        opens, closes = data.get("registration_opens_date"), data.get("registration_closes_date")
        fields = {
            "kind": data["kind"],
            "title": data["title"],
            "description": data["description"],
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "all_day": data["all_day"],
            "address": data["address"],
            "host_municipality": self.municipalities.get(data["host_municipality"] or ""),
            "online_url": data["online_url"],
            "audience": data["audience"],
            "audience_body": self.bodies.get(data["audience_body"] or ""),
            "registration_opens_at": local_moment(opens, datetime.time(0)) if opens else None,
            # Through the last day: until midnight after it.
            "registration_closes_at": (
                local_moment(closes + datetime.timedelta(days=1), datetime.time(0))
                if closes
                else None
            ),
            "capacity": data["capacity"],
            "municipality_limit": data["municipality_limit"],
        }
        for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
            if fields[name] is not None:
                fields[name] = fields[name].astimezone(datetime.UTC)
        return fields

    def chosen_topics(self) -> list:
        return [self.topic_objects[key] for key in self.cleaned_data["topics"]]

    def chosen_organiser(self):
        return self.organisers[self.cleaned_data["organiser"]]


class SeriesForm(ActivityForm):
    """A series: the first activity's fields, how often it comes back and how many times."""

    cadence = select_field(_("Hoe vaak"), [("", _("Kies hoe vaak")), *Cadence.choices])
    count = _number(_("Aantal keren"), required=True, max_value=SERIES_MAX)


class CancelForm(ServiceRefusalMixin, forms.Form):
    reason = textarea_field(
        _("Reden van de annulering"),
        rows=3,
        required=True,
        help_text=_("Wie aangemeld is krijgt deze reden per e-mail."),
    )
    whole_series = forms.BooleanField(
        label=_("Ook de latere keren van de reeks annuleren"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": CHECKBOX}),
    )

    def __init__(self, *args, in_series=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not in_series:
            del self.fields["whole_series"]


class PersonSearchForm(forms.Form):
    zoek = forms.CharField(
        label=_("Zoek een persoon op naam"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": TEXTBOX, "type": "search"}),
    )


def person_label(person) -> str:
    positions = getattr(person, "current_positions", None) or []
    if not positions:
        return person.full_name
    position = positions[0]
    return f"{person.full_name} ({position.get_function_display()}, {position.organisation})"


class PersonPickForm(ServiceRefusalMixin, forms.Form):
    """A person chosen from the search results (or, on posting, the one posted)."""

    person = select_field(_("Persoon"))
    note = text_field(_("Opmerking (bijv. dieetwens)"), max_length=500, required=False)

    def __init__(self, *args, people=(), note=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {str(p.pk): p for p in people}
        self.fields["person"].choices = [("", _("Kies een persoon"))] + [
            (key, person_label(p)) for key, p in self.people.items()
        ]
        if not note:
            del self.fields["note"]

    def chosen_person(self):
        return self.people[self.cleaned_data["person"]]


class WalkInForm(ServiceRefusalMixin, forms.Form):
    """Someone who came without registering: a person found by name, or only a name."""

    person = select_field(_("Bekende persoon"), required=False)
    name = text_field(_("Of alleen de naam"), required=False)
    municipality = select_field(_("Gemeente"), required=False, help_text=_("Bij alleen een naam."))

    def __init__(self, *args, people=(), municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {str(p.pk): p for p in people}
        self.municipalities = {str(m.pk): m for m in municipalities}
        self.fields["person"].choices = [("", _("Niemand gekozen"))] + [
            (key, person_label(p)) for key, p in self.people.items()
        ]
        self.fields["municipality"].choices = [("", _("Geen of onbekend"))] + [
            (key, m.name) for key, m in self.municipalities.items()
        ]

    def clean(self):
        data = super().clean()
        if not data.get("person") and not (data.get("name") or "").strip():
            self.add_error("name", _("Kies een bekende persoon of vul een naam in."))
        return data

    def walk_in(self) -> dict:
        data = self.cleaned_data
        return {
            "person": self.people.get(data["person"] or ""),
            "name": data["name"],
            "municipality": self.municipalities.get(data["municipality"] or ""),
        }


class DocumentForm(ServiceRefusalMixin, forms.Form):
    kind = select_field(_("Soort document"), [("", _("Kies een soort")), *DocumentKind.choices])
    title = text_field(_("Titel"))
    file = forms.FileField(
        label=_("Bestand"),
        help_text=_(
            "PDF, Word, PowerPoint, Excel, OpenDocument of platte tekst; hoogstens %(max)s."
        ),
        widget=forms.ClearableFileInput(attrs={"class": "utrecht-textbox"}),
        error_messages={
            "required": _("Kies een bestand."),
            "empty": _("Het bestand is leeg."),
            "invalid": _("Er is geen bestand ontvangen; kies het opnieuw."),
        },
    )

    def __init__(self, *args, max_size: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = self.fields["file"].help_text % {"max": max_size}
