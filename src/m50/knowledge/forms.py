"""Forms of the library's pages: they parse input; the services decide (DESIGN.md §3).

The filters of the library are GET parameters with Dutch names; an invalid one is reported and
left out. A refusal of a service is put on the field it is about (RefusalMixin).
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from m50.core.formats import long_date
from m50.core.forms import date_field, select_field, text_field, textarea_field
from m50.knowledge.models import Access, Form, Kind
from m50.pillars.forms import (
    CHECKBOX,
    SELECT,
    TEXTBOX,
    RefusalMixin,
    body_key,
    body_label,
)

BUREAU = "bureau"
FILTER_SELECT = {"class": SELECT}


def _invalid(what: str) -> dict:
    return {
        "invalid_choice": _("Kies %(what)s uit de lijst; %%(value)s bestaat niet.") % {"what": what}
    }


def _counted(label, count) -> str:
    return f"{label} ({count})" if count else str(label)


class LibraryFilterForm(forms.Form):
    """The library's filters; each choice says how many items it has."""

    thema = forms.ChoiceField(
        label=gettext_lazy("Thema"),
        required=False,
        widget=forms.Select(attrs=FILTER_SELECT),
    )
    pijler = forms.ChoiceField(
        label=gettext_lazy("Pijler"), required=False, widget=forms.Select(attrs=FILTER_SELECT)
    )
    soort = forms.ChoiceField(
        label=gettext_lazy("Soort"), required=False, widget=forms.Select(attrs=FILTER_SELECT)
    )
    jaar = forms.ChoiceField(
        label=gettext_lazy("Jaar"), required=False, widget=forms.Select(attrs=FILTER_SELECT)
    )
    gemeente = forms.ChoiceField(
        label=gettext_lazy("Gemeente"), required=False, widget=forms.Select(attrs=FILTER_SELECT)
    )

    def __init__(self, data, *, themes, pillar_list, municipalities, counts):
        super().__init__(data)
        self.themes = {theme.slug: theme for theme in themes}
        self.pillars = {pillar.slug: pillar for pillar in pillar_list}
        # (id, code, name): the selector filters on the id, the address shows the code.
        self.municipalities = {code: name for _pk, code, name in municipalities}
        self.municipality_ids = {code: pk for pk, code, _name in municipalities}
        fields = self.fields
        fields["thema"].error_messages.update(_invalid(_("een thema")))
        fields["pijler"].error_messages.update(_invalid(_("een pijler")))
        fields["soort"].error_messages.update(_invalid(_("een soort")))
        fields["jaar"].error_messages.update(_invalid(_("een jaar")))
        fields["gemeente"].error_messages.update(_invalid(_("een gemeente")))
        fields["thema"].choices = [
            ("", _("Alle thema's")),
            *(
                (slug, _counted(theme.name, counts["theme"].get(slug)))
                for slug, theme in self.themes.items()
            ),
        ]
        fields["pijler"].choices = [
            ("", _("Alle pijlers")),
            *((slug, pillar.name) for slug, pillar in self.pillars.items()),
        ]
        fields["soort"].choices = [
            ("", _("Alle soorten")),
            *((value, _counted(label, counts["kind"].get(value))) for value, label in Kind.choices),
        ]
        years = sorted(counts["year"], reverse=True)
        fields["jaar"].choices = [
            ("", _("Alle jaren")),
            *((str(year), _counted(year, counts["year"][year])) for year in years),
        ]
        fields["gemeente"].choices = [("", _("Alle gemeenten")), *self.municipalities.items()]

    def filters(self) -> dict:
        """The selector's arguments of the filters that are valid."""
        data = getattr(self, "cleaned_data", {})
        result = {}
        if data.get("thema"):
            result["theme"] = self.themes[data["thema"]]
        if data.get("pijler"):
            result["pillar"] = self.pillars[data["pijler"]]
        if data.get("soort"):
            result["kind"] = data["soort"]
        if data.get("jaar"):
            result["year"] = int(data["jaar"])
        if data.get("gemeente"):
            result["municipality"] = self.municipality_ids[data["gemeente"]]
        return result


# --- Writing an item --------------------------------------------------------------------------


def _file(label, *, max_size: str, required=True):
    return forms.FileField(
        label=label,
        required=required,
        help_text=gettext_lazy(
            "Een PDF, Word-bestand (.docx) of OpenDocument-tekst (.odt) van hoogstens %(size)s."
        )
        % {"size": max_size},
        widget=forms.ClearableFileInput(attrs={"class": "utrecht-textbox m50-file-input"}),
        error_messages={
            "required": gettext_lazy("Kies een bestand."),
            "empty": gettext_lazy("Het gekozen bestand is leeg."),
            "invalid": gettext_lazy("Kies een bestand."),
        },
    )


class ItemForm(RefusalMixin, forms.Form):
    """An item's own fields; its form (document, link, note) only when it is made, and the
    file of a document then too (later versions have their own page)."""

    form = select_field(gettext_lazy("Vorm"), Form.choices)
    kind = select_field(
        gettext_lazy("Soort"), [("", gettext_lazy("Kies een soort")), *Kind.choices]
    )
    title = text_field(gettext_lazy("Titel"))
    summary = textarea_field(gettext_lazy("Samenvatting"), rows=4)
    date = date_field(gettext_lazy("Datum"), required=True)
    municipality = select_field(
        gettext_lazy("Gemeente"),
        required=False,
        help_text=gettext_lazy("De gemeente waarvan het voorbeeld is, of waarover het gaat."),
    )
    themes = forms.MultipleChoiceField(
        label=gettext_lazy("Thema's"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": CHECKBOX}),
        error_messages={"invalid_choice": gettext_lazy("Kies thema's uit de lijst.")},
    )
    body = select_field(
        gettext_lazy("Hoort bij"),
        help_text=gettext_lazy(
            "De pijler of themagroep waar het vandaan komt; de voorzitter ervan beheert het."
        ),
    )
    topic = select_field(
        gettext_lazy("Onderwerp"),
        required=False,
        help_text=gettext_lazy(
            "Het onderwerp van een pijler of themagroep waar het vandaan komt; het hoort dan "
            "bij die pijler of themagroep."
        ),
    )
    activity = select_field(
        gettext_lazy("Activiteit"),
        required=False,
        help_text=gettext_lazy(
            "De activiteit waar het vandaan komt, zoals een pijlerbijeenkomst of werkbezoek; de "
            "nieuwste bovenaan."
        ),
    )
    access = select_field(gettext_lazy("Wie mag het lezen"), Access.choices)
    source_organisation = select_field(
        gettext_lazy("Bron"),
        required=False,
        help_text=gettext_lazy("De organisatie die het heeft gemaakt of uitgegeven."),
    )
    link_url = forms.URLField(
        label=gettext_lazy("Adres van de publicatie"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=gettext_lazy("Alleen bij een link."),
        widget=forms.URLInput(attrs={"class": TEXTBOX}),
        error_messages={
            "invalid": gettext_lazy("Vul een volledig webadres in, beginnend met https://.")
        },
    )
    link_publisher = text_field(
        gettext_lazy("Uitgever"), required=False, help_text=gettext_lazy("Alleen bij een link.")
    )
    link_published_on = date_field(
        gettext_lazy("Verschenen op"), help_text=gettext_lazy("Alleen bij een link.")
    )
    note_what = textarea_field(
        gettext_lazy("Wat hebben ze gedaan"),
        rows=5,
        help_text=gettext_lazy("Alleen bij een notitie."),
    )
    note_cost = textarea_field(
        gettext_lazy("Wat kostte het"), help_text=gettext_lazy("Alleen bij een notitie.")
    )
    note_contact_person = select_field(
        gettext_lazy("Contactpersoon"),
        required=False,
        help_text=gettext_lazy(
            "Alleen bij een notitie: wie je belt, uit het relatieregister (iemand met een "
            "lopende functie)."
        ),
    )
    note_contact_text = text_field(
        gettext_lazy("Wie bel je"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("Alleen bij een notitie: naam, functie en hoe bereikbaar."),
    )

    #: The fields handed to the services as they are.
    plain_fields = (
        "kind",
        "title",
        "summary",
        "date",
        "access",
        "link_url",
        "link_publisher",
        "link_published_on",
        "note_what",
        "note_cost",
        "note_contact_text",
    )

    def __init__(
        self,
        *args,
        themes=(),
        bodies=(),
        municipalities=(),
        topics=(),
        organisations=(),
        activities=(),
        people=(),
        item=None,
        max_size="",
        **kwargs,
    ):
        """``bodies``: the pillars and groups to choose from; ``item``: the one being changed
        (no form to choose, no file)."""
        if item is not None and not kwargs.get("initial"):
            kwargs["initial"] = self.initial_of(item)
        super().__init__(*args, **kwargs)
        self.theme_objects = {str(theme.pk): theme for theme in themes}
        self.bodies = {body_key(body): body for body in bodies}
        self.municipality_objects = {str(m.pk): m for m in municipalities}
        self.topic_objects = {str(t.pk): t for t in topics}
        self.organisation_objects = {str(o.pk): o for o in organisations}
        self.fields["topic"].choices = [
            ("", _("Geen onderwerp")),
            *(
                (pk, f"{topic.title} ({topic.pillar or topic.theme_group})")
                for pk, topic in self.topic_objects.items()
            ),
        ]
        self.fields["source_organisation"].choices = [
            ("", _("Geen bron")),
            *((pk, o.name) for pk, o in self.organisation_objects.items()),
        ]
        self.fields["themes"].choices = [(pk, t.name) for pk, t in self.theme_objects.items()]
        self.fields["body"].choices = [
            (BUREAU, _("Het bureau (geen pijler of themagroep)")),
            *((key, body_label(body)) for key, body in self.bodies.items()),
        ]
        self.fields["municipality"].choices = [
            ("", _("Geen gemeente")),
            *((pk, m.name) for pk, m in self.municipality_objects.items()),
        ]
        self.activity_objects = {str(a.pk): a for a in activities}
        activity_choices = [(pk, activity_label(a)) for pk, a in self.activity_objects.items()]
        self.person_objects = {str(p.pk): p for p in people}
        person_choices = [(pk, person_label(p)) for pk, p in self.person_objects.items()]
        # What the item names already stays a choice (the services keep an unchanged one), an
        # activity the user may not see without its title.
        if (
            item is not None
            and item.activity_id
            and str(item.activity_id) not in self.activity_objects
        ):
            self.activity_objects[str(item.activity_id)] = item.activity
            activity_choices.insert(
                0, (str(item.activity_id), _("De huidige activiteit (die u niet kunt inzien)"))
            )
        person = item.note_contact_person if item is not None else None
        if person is not None and str(person.pk) not in self.person_objects:
            self.person_objects[str(person.pk)] = person
            person_choices.insert(0, (str(person.pk), person.full_name))
        self.fields["activity"].choices = [("", _("Geen activiteit")), *activity_choices]
        self.fields["note_contact_person"].choices = [
            ("", _("Geen contactpersoon")),
            *person_choices,
        ]
        if item is not None:
            del self.fields["form"]
        else:
            self.fields["file"] = _file(gettext_lazy("Bestand"), max_size=max_size, required=False)
            self.fields["file"].help_text = (
                str(self.fields["file"].help_text) + " " + _("Alleen bij een document.")
            )

    @staticmethod
    def initial_of(item) -> dict:
        body = item.body
        return {
            **{name: getattr(item, name) for name in ItemForm.plain_fields},
            "municipality": str(item.municipality_id or ""),
            "topic": str(item.topic_id or ""),
            "source_organisation": str(item.source_organisation_id or ""),
            "activity": str(item.activity_id or ""),
            "note_contact_person": str(item.note_contact_person_id or ""),
            "themes": [str(theme.pk) for theme in item.themes.all()],
            "body": body_key(body) if body is not None else BUREAU,
        }

    def values(self) -> dict:
        """The services' keyword arguments of the cleaned data."""
        data = self.cleaned_data
        values = {name: data[name] for name in self.plain_fields}
        values["municipality"] = self.municipality_objects.get(data["municipality"] or "")
        values["topic"] = self.topic_objects.get(data["topic"] or "")
        values["source_organisation"] = self.organisation_objects.get(
            data["source_organisation"] or ""
        )
        values["activity"] = self.activity_objects.get(data["activity"] or "")
        values["note_contact_person"] = self.person_objects.get(data["note_contact_person"] or "")
        values["themes"] = [self.theme_objects[pk] for pk in data["themes"]]
        values["body"] = self.bodies.get(data["body"]) if data["body"] != BUREAU else None
        return values


def activity_label(activity) -> str:
    """An activity in a select: its title and the day it starts, ``2 december 2026``."""
    day = long_date(timezone.localtime(activity.starts_at).date())
    if activity.is_cancelled:
        return _("%(title)s (%(date)s, geannuleerd)") % {"title": activity.title, "date": day}
    return f"{activity.title} ({day})"


def person_label(person) -> str:
    """A person in a select: their name and their first function that has not ended
    (``current_positions``, prefetched), to tell namesakes apart."""
    positions = getattr(person, "current_positions", None) or []
    if not positions:
        return person.full_name
    position = positions[0]
    function = position.title or position.get_function_display()
    return f"{person.full_name} ({function}, {position.organisation.name})"


class VersionForm(RefusalMixin, forms.Form):
    def __init__(self, *args, max_size="", **kwargs):
        super().__init__(*args, **kwargs)
        label = gettext_lazy("Nieuwe versie van het bestand")
        self.fields["file"] = _file(label, max_size=max_size)


class ReasonForm(RefusalMixin, forms.Form):
    reason = textarea_field(gettext_lazy("Reden"), rows=4, required=True)

    def __init__(self, *args, label="", help_text="", **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["reason"].label = label
        if help_text:
            self.fields["reason"].help_text = help_text
