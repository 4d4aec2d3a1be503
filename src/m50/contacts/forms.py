"""The filter form of the organisation list, and the forms that manage people, positions and
organisations (they parse input; the rules are the services')."""

from django import forms
from django.utils.translation import gettext_lazy as _

from m50.contacts.models import Organisation, Position
from m50.contacts.selectors import KIND_PARAMETERS
from m50.core.formats import long_date
from m50.core.forms import RefusalMixin


class OrganisationFilterForm(forms.Form):
    """Validates the filters of ``/organisaties/``; an invalid value is reported, not fatal."""

    zoek = forms.CharField(
        label=_("Zoek op naam of afkorting"),
        required=False,
        max_length=100,
        strip=True,
        error_messages={
            "max_length": _("Gebruik voor de zoekterm hoogstens %(limit_value)d tekens."),
        },
        widget=forms.TextInput(
            attrs={
                "class": "utrecht-textbox utrecht-textbox--html-input",
                "type": "search",
                "autocomplete": "off",
            }
        ),
    )
    soort = forms.ChoiceField(
        label=_("Soort organisatie"),
        required=False,
        choices=[("", _("Alle soorten"))]
        + [(name, kind.label) for name, kind in KIND_PARAMETERS.items()],
        error_messages={
            "invalid_choice": _(
                "Kies een soort organisatie uit de lijst; %(value)s is geen geldige keuze."
            ),
        },
        widget=forms.Select(attrs={"class": "utrecht-select utrecht-select--html-select"}),
    )

    def full_clean(self):
        super().full_clean()
        # Tie each error message to its field for assistive technology.
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-describedby"] = f"{self[name].auto_id}-fout"

    def filters(self) -> dict:
        """Keyword arguments for ``selectors.organisation_list`` from the valid fields only."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        kind = KIND_PARAMETERS.get(data.get("soort") or "", "")
        return {"search": data.get("zoek") or "", "kind": kind}


# --- The management forms (people, positions, organisations) ---------------------------------

TEXTBOX = "utrecht-textbox utrecht-textbox--html-input"
SELECT = "utrecht-select utrecht-select--html-select"
TEXTAREA = "utrecht-textarea utrecht-textarea--html-textarea"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]


class DateInput(forms.DateInput):
    """A native date field (works without JavaScript); ISO values in and out."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": TEXTBOX, **(attrs or {})}, format="%Y-%m-%d")


def _text(label, *, max_length, required=False, help_text="", input_type="text", **attrs):
    widget = forms.TextInput(attrs={"class": TEXTBOX, **attrs})
    widget.input_type = input_type
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        widget=widget,
        error_messages={
            "required": _("Vul dit veld in."),
            "max_length": _("Gebruik hoogstens %(limit_value)d tekens."),
        },
    )


def _date(label, *, required=False, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=DATE_INPUT_FORMATS,
        widget=DateInput(),
        error_messages={
            "invalid": _("Vul een datum in als dag-maand-jaar, bijvoorbeeld 22-08-2022."),
            "required": _("Vul een datum in."),
        },
    )


def _select(label, choices, *, required=True, help_text=""):
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=required,
        help_text=help_text,
        widget=forms.Select(attrs={"class": SELECT}),
        error_messages={
            "required": _("Maak een keuze."),
            "invalid_choice": _("Kies een waarde uit de lijst; %(value)s bestaat niet."),
        },
    )


class ManageForm(RefusalMixin, forms.Form):
    """A form whose values go to a service; a refusal of the service shows on the form."""

    def values(self, names) -> dict:
        return {name: self.cleaned_data[name] for name in names if name in self.fields}


PERSON_FORM_FIELDS = ("given_name", "surname_prefix", "surname", "email", "phone")
POSITION_FORM_FIELDS = ("function", "title", "portfolio", "start_date", "end_date")


CONTACT_DETAIL_FIELDS = ("email", "phone")


def _person_fields(*, contact_details: bool = True) -> dict:
    """The fields of a person; without ``contact_details`` no e-mail address or phone number:
    who may not see them (``contacts.view_contact_details``) neither sees nor writes them."""
    fields = {
        "given_name": _text(
            _("Voornaam of voorletters"), max_length=100, autocomplete="given-name"
        ),
        "surname_prefix": _text(_("Tussenvoegsel"), max_length=30),
        "surname": _text(
            _("Achternaam"), max_length=100, required=True, autocomplete="family-name"
        ),
        "email": forms.EmailField(
            label=_("E-mailadres"),
            required=False,
            max_length=254,
            widget=forms.EmailInput(attrs={"class": TEXTBOX, "autocomplete": "email"}),
            error_messages={
                "invalid": _("Vul een geldig e-mailadres in, bijvoorbeeld naam@gemeente.nl."),
                "max_length": _("Gebruik hoogstens %(limit_value)d tekens."),
            },
        ),
        "phone": _text(_("Telefoonnummer"), max_length=30, input_type="tel", autocomplete="tel"),
    }
    if not contact_details:
        for name in CONTACT_DETAIL_FIELDS:
            del fields[name]
    return fields


def _position_fields() -> dict:
    return {
        "function": _select(
            _("Functie"), [("", _("Kies een functie")), *Position.Function.choices]
        ),
        "title": _text(
            _("Functietitel"),
            max_length=200,
            help_text=_("Bijvoorbeeld ‘Locoburgemeester’ of ‘Senior beleidsadviseur wonen’."),
        ),
        "portfolio": _text(_("Portefeuille"), max_length=300),
        "start_date": _date(_("Begindatum")),
        "end_date": _date(
            _("Einddatum"),
            help_text=_("De laatste dag in functie; leeg zolang de functie loopt."),
        ),
    }


def _check_period(form: forms.Form, cleaned: dict) -> None:
    start, end = cleaned.get("start_date"), cleaned.get("end_date")
    if start and end and end < start:
        form.add_error("end_date", _("De einddatum ligt vóór de begindatum."))


class PersonForm(ManageForm):
    fieldsets = (
        (_("Naam"), PERSON_FORM_FIELDS[:3]),
        (_("Contactgegevens"), PERSON_FORM_FIELDS[3:]),
    )

    def __init__(self, *args, contact_details: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_person_fields(contact_details=contact_details))

    def person_values(self) -> dict:
        return self.values(PERSON_FORM_FIELDS)


class PositionForm(ManageForm):
    """A position of a known person; ``organisations`` are the ones the user may choose."""

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        self.fields["organisation"] = _select(
            _("Organisatie"),
            [
                ("", _("Kies een organisatie")),
                *((k, o.name) for k, o in self.organisations.items()),
            ],
        )
        self.fields.update(_position_fields())
        self.fieldsets = ((_("Functie"), ("organisation", *POSITION_FORM_FIELDS)),)

    def clean(self):
        cleaned = super().clean()
        _check_period(self, cleaned)
        return cleaned

    def position_values(self) -> dict:
        return {
            "organisation": self.organisations[self.cleaned_data["organisation"]],
            **self.values(POSITION_FORM_FIELDS),
        }


class PersonPositionForm(ManageForm):
    """A new person with their position at a known organisation, in one form."""

    fieldsets = (
        (_("Persoon"), PERSON_FORM_FIELDS),
        (_("Functie"), POSITION_FORM_FIELDS),
    )

    def __init__(self, *args, contact_details: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_person_fields(contact_details=contact_details))
        self.fields.update(_position_fields())

    def clean(self):
        cleaned = super().clean()
        _check_period(self, cleaned)
        return cleaned

    def person_values(self) -> dict:
        return self.values(PERSON_FORM_FIELDS)

    def position_values(self) -> dict:
        return self.values(POSITION_FORM_FIELDS)


class PositionEndForm(ManageForm):
    def __init__(self, *args, position: Position, **kwargs):
        super().__init__(*args, **kwargs)
        self.position = position
        self.fields["end_date"] = _date(
            _("Einddatum"),
            required=True,
            help_text=_("De laatste dag in functie."),
        )
        self.fieldsets = ((_("Einde van de functie"), ("end_date",)),)

    def clean(self):
        cleaned = super().clean()
        end, start = cleaned.get("end_date"), self.position.start_date
        if end and start and end < start:
            self.add_error(
                "end_date",
                _("De einddatum ligt vóór de begindatum (%(start)s).")
                % {"start": long_date(start)},
            )
        return cleaned


ORGANISATION_FORM_FIELDS = ("kind", "name", "abbreviation", "website", "description")


class OrganisationForm(ManageForm):
    """An organisation's details; ``seeded`` leaves out what the registry owns."""

    def __init__(self, *args, seeded: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not seeded:
            self.fields["kind"] = _select(
                _("Soort organisatie"),
                [("", _("Kies een soort")), *Organisation.Kind.choices],
            )
            self.fields["name"] = _text(_("Naam"), max_length=200, required=True)
            self.fields["abbreviation"] = _text(_("Afkorting"), max_length=30)
        self.fields["website"] = forms.URLField(
            label=_("Website"),
            required=False,
            max_length=200,
            assume_scheme="https",
            widget=forms.URLInput(attrs={"class": TEXTBOX}),
            error_messages={
                "invalid": _("Vul een geldig webadres in, bijvoorbeeld https://www.vng.nl."),
                "max_length": _("Gebruik hoogstens %(limit_value)d tekens."),
            },
        )
        self.fields["description"] = forms.CharField(
            label=_("Omschrijving"),
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"class": TEXTAREA, "rows": 4}),
            error_messages={"max_length": _("Gebruik hoogstens %(limit_value)d tekens.")},
        )
        self.fieldsets = ((_("Organisatie"), ORGANISATION_FORM_FIELDS),)

    def organisation_values(self) -> dict:
        return self.values(ORGANISATION_FORM_FIELDS)
