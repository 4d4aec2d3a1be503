"""Forms of the public affairs pages: filters, and the input of contacts, follow-ups and
dossiers. They check the form of the input; the services (``records``) decide the rest."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from m50.publicaffairs import selectors
from m50.publicaffairs.models import Interaction, Motion

TEXTBOX = {"class": "utrecht-textbox utrecht-textbox--html-input"}
TEXTAREA = {"class": "utrecht-textarea utrecht-textarea--html-textarea", "rows": 4}
SELECT = {"class": "utrecht-select utrecht-select--html-select"}
MULTI = {"class": "utrecht-select utrecht-select--html-select", "size": 6}
DATE = {**TEXTBOX, "type": "date"}
CHECKBOX = {"class": "utrecht-checkbox utrecht-checkbox--html-input"}


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Shows the service's Dutch messages at their fields (or above the form)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
    if hasattr(form, "describe_errors"):
        form.describe_errors()


class _DescribedErrors:
    """Ties each error message (``-fout``, as the templates show it) and help text to its
    field for assistive technology."""

    def full_clean(self):
        super().full_clean()
        self.describe_errors()

    def describe_errors(self):
        for name in self.errors:
            if name in self.fields:
                ids = [f"{self[name].auto_id}-fout"]
                if self.fields[name].help_text:
                    ids.append(f"{self[name].auto_id}_helptext")
                self.fields[name].widget.attrs["aria-describedby"] = " ".join(ids)
                self.fields[name].widget.attrs["aria-invalid"] = "true"


class _FilterForm(_DescribedErrors, forms.Form):
    def cleaned(self, name, default=None):
        return (getattr(self, "cleaned_data", None) or {}).get(name) or default


class MotionFilterForm(_FilterForm):
    thema = forms.ModelChoiceField(
        label=_("Thema"),
        queryset=None,
        to_field_name="slug",
        required=False,
        empty_label=_("Alle thema's"),
        widget=forms.Select(attrs=SELECT),
    )
    bron = forms.ChoiceField(
        label=_("Bron"),
        required=False,
        choices=[("", _("Alle bronnen")), *Motion.Source.choices],
        widget=forms.Select(attrs=SELECT),
    )
    uitslag = forms.ChoiceField(
        label=_("Uitslag"), required=False, widget=forms.Select(attrs=SELECT)
    )
    vanaf = forms.DateField(
        label=_("Vanaf"), required=False, widget=forms.DateInput(DATE, format="%Y-%m-%d")
    )
    tot = forms.DateField(
        label=_("Tot en met"), required=False, widget=forms.DateInput(DATE, format="%Y-%m-%d")
    )

    def __init__(self, *args, results=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["thema"].queryset = selectors.theme_choices()
        self.fields["uitslag"].choices = [("", _("Alle uitslagen"))] + [
            (result, result) for result in results
        ]

    def filters(self) -> dict:
        return {
            "theme": self.cleaned("thema"),
            "source": self.cleaned("bron", ""),
            "result": self.cleaned("uitslag", ""),
            "since": self.cleaned("vanaf"),
            "until": self.cleaned("tot"),
        }


class MemberFilterForm(_FilterForm):
    naam = forms.CharField(
        label=_("Naam"), required=False, max_length=100, widget=forms.TextInput(TEXTBOX)
    )
    fractie = forms.ModelChoiceField(
        label=_("Fractie"),
        queryset=None,
        required=False,
        empty_label=_("Alle fracties"),
        widget=forms.Select(attrs=SELECT),
    )
    commissie = forms.ModelChoiceField(
        label=_("Commissie"),
        queryset=None,
        required=False,
        empty_label=_("Alle commissies"),
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fractie"].queryset = selectors.fractie_list(user=user)
        self.fields["commissie"].queryset = selectors.committee_list(user=user, active_only=True)

    def filters(self) -> dict:
        return {
            "search": self.cleaned("naam", ""),
            "fractie": self.cleaned("fractie"),
            "committee": self.cleaned("commissie"),
        }


class InteractionFilterForm(_FilterForm):
    soort = forms.ChoiceField(
        label=_("Soort"),
        required=False,
        choices=[("", _("Alle soorten")), *Interaction.Kind.choices],
        widget=forms.Select(attrs=SELECT),
    )
    thema = forms.ModelChoiceField(
        label=_("Thema"),
        queryset=None,
        to_field_name="slug",
        required=False,
        empty_label=_("Alle thema's"),
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["thema"].queryset = selectors.theme_choices()

    def filters(self) -> dict:
        return {"kind": self.cleaned("soort", ""), "theme": self.cleaned("thema")}


class InteractionForm(_DescribedErrors, forms.Form):
    kind = forms.ChoiceField(
        label=_("Soort contactmoment"),
        choices=[("", "—"), *Interaction.Kind.choices],
        widget=forms.Select(attrs=SELECT),
        error_messages={"required": _("Kies wat voor contactmoment het is.")},
    )
    date = forms.DateField(
        label=_("Datum"),
        widget=forms.DateInput(DATE, format="%Y-%m-%d"),
        error_messages={
            "required": _("Vul de datum van het contactmoment in."),
            "invalid": _("Vul een geldige datum in, zoals 2-12-2026."),
        },
    )
    subject = forms.CharField(
        label=_("Onderwerp"),
        max_length=300,
        widget=forms.TextInput(TEXTBOX),
        error_messages={
            "required": _("Vul het onderwerp in."),
            "max_length": _("Gebruik hoogstens 300 tekens voor het onderwerp."),
        },
    )
    network_people = forms.ModelMultipleChoiceField(
        label=_("Namens het netwerk"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(MULTI),
    )
    members = forms.ModelMultipleChoiceField(
        label=_("Kamerleden"), queryset=None, required=False, widget=forms.SelectMultiple(MULTI)
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisaties"), queryset=None, required=False, widget=forms.SelectMultiple(MULTI)
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Thema's"), queryset=None, required=False, widget=forms.SelectMultiple(MULTI)
    )
    municipality = forms.ModelChoiceField(
        label=_("Gemeente"),
        queryset=None,
        required=False,
        empty_label=_("Geen gemeente"),
        widget=forms.Select(attrs=SELECT),
    )
    outcome = forms.CharField(label=_("Uitkomst"), required=False, widget=forms.Textarea(TEXTAREA))
    confidential_note = forms.CharField(
        label=_("Vertrouwelijke notitie"),
        help_text=_("Alleen public affairs en het bureau zien deze notitie."),
        required=False,
        widget=forms.Textarea(TEXTAREA),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network_people"].queryset = selectors.person_choices()
        self.fields["members"].queryset = selectors.member_choices()
        self.fields["organisations"].queryset = selectors.organisation_choices()
        self.fields["themes"].queryset = selectors.theme_choices()
        self.fields["municipality"].queryset = selectors.municipality_choices()
        invalid = _("Kies uit de lijst.")
        several = _("Meer dan één kiezen: houd Ctrl (op een Mac Cmd) ingedrukt.")
        for name in ("network_people", "members", "organisations", "themes"):
            self.fields[name].help_text = several
        for name in ("network_people", "members", "organisations", "themes", "municipality"):
            self.fields[name].error_messages["invalid_choice"] = invalid
            self.fields[name].error_messages["invalid_pk_value"] = invalid


class FollowUpForm(_DescribedErrors, forms.Form):
    description = forms.CharField(
        label=_("Vervolgactie"),
        widget=forms.TextInput(TEXTBOX),
        error_messages={"required": _("Beschrijf de vervolgactie.")},
    )
    owner = forms.ModelChoiceField(
        label=_("Eigenaar"),
        queryset=None,
        widget=forms.Select(attrs=SELECT),
        error_messages={
            "required": _("Kies de eigenaar van de vervolgactie."),
            "invalid_choice": _("Kies de eigenaar uit de lijst."),
        },
    )
    due_date = forms.DateField(
        label=_("Uiterlijk"),
        required=False,
        widget=forms.DateInput(DATE, format="%Y-%m-%d"),
        error_messages={"invalid": _("Vul een geldige datum in, zoals 2-12-2026.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = selectors.follow_up_owner_choices()


class DossierForm(_DescribedErrors, forms.Form):
    goals = forms.CharField(label=_("Doelen"), required=False, widget=forms.Textarea(TEXTAREA))
    goals_public = forms.BooleanField(
        label=_("Doelen op de openbare site tonen"),
        help_text=_("Bij het gepubliceerde standpunt; anders blijven de doelen intern."),
        required=False,
        widget=forms.CheckboxInput(CHECKBOX),
    )
    watch_terms = forms.CharField(
        label=_("Zoektermen"),
        help_text=_("Eén zoekterm per regel."),
        required=False,
        widget=forms.Textarea(TEXTAREA),
    )
    committees = forms.ModelMultipleChoiceField(
        label=_("Commissies"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(MULTI),
        error_messages={"invalid_choice": _("Kies commissies uit de lijst.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committees"].queryset = selectors.committee_list(user=user, active_only=True)

    def clean_watch_terms(self) -> list[str]:
        return [
            line.strip() for line in self.cleaned_data["watch_terms"].splitlines() if line.strip()
        ]


class DossierCreateForm(DossierForm):
    theme = forms.ModelChoiceField(
        label=_("Thema"),
        queryset=None,
        widget=forms.Select(attrs=SELECT),
        error_messages={
            "required": _("Kies het thema van het dossier."),
            "invalid_choice": _("Kies een thema zonder dossier uit de lijst."),
        },
    )
    field_order = ["theme", "goals", "goals_public", "watch_terms", "committees"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = selectors.themes_without_dossier()


class PositionForm(_DescribedErrors, forms.Form):
    text = forms.CharField(
        label=_("Nieuw standpunt"),
        widget=forms.Textarea({**TEXTAREA, "rows": 8}),
        error_messages={"required": _("Schrijf het standpunt.")},
    )


class StakeholderFilterForm(_FilterForm):
    soort = forms.ChoiceField(label=_("Soort"), required=False, widget=forms.Select(attrs=SELECT))
    beheerder = forms.ModelChoiceField(
        label=_("Relatiebeheerder"),
        queryset=None,
        required=False,
        empty_label=_("Iedereen"),
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["soort"].choices = [
            ("", _("Alle soorten")),
            *selectors.stakeholder_kind_choices(),
        ]
        self.fields["beheerder"].queryset = selectors.stakeholder_owner_filter_choices()

    def filters(self) -> dict:
        return {"kind": self.cleaned("soort", ""), "owner": self.cleaned("beheerder")}


class StakeholderForm(_DescribedErrors, forms.Form):
    owner = forms.ModelChoiceField(
        label=_("Relatiebeheerder"),
        queryset=None,
        required=False,
        empty_label=_("Nog niemand"),
        widget=forms.Select(attrs=SELECT),
        error_messages={"invalid_choice": _("Kies de relatiebeheerder uit de lijst.")},
    )
    next_step = forms.CharField(
        label=_("Volgende stap"), required=False, widget=forms.Textarea(TEXTAREA)
    )
    next_step_date = forms.DateField(
        label=_("Datum volgende stap"),
        required=False,
        widget=forms.DateInput(DATE, format="%Y-%m-%d"),
        error_messages={"invalid": _("Vul een geldige datum in, zoals 2-12-2026.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = selectors.stakeholder_owner_choices()


class StakeholderCreateForm(StakeholderForm):
    organisation = forms.ModelChoiceField(
        label=_("Organisatie"),
        help_text=_("Kies één organisatie, één Kamerlid of één fractie."),
        queryset=None,
        required=False,
        empty_label="—",
        widget=forms.Select(attrs=SELECT),
    )
    member = forms.ModelChoiceField(
        label=_("Kamerlid"),
        queryset=None,
        required=False,
        empty_label="—",
        widget=forms.Select(attrs=SELECT),
    )
    fractie = forms.ModelChoiceField(
        label=_("Fractie"),
        queryset=None,
        required=False,
        empty_label="—",
        widget=forms.Select(attrs=SELECT),
    )
    field_order = ["organisation", "member", "fractie", "owner", "next_step", "next_step_date"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = selectors.stakeholder_organisation_choices()
        self.fields["member"].queryset = selectors.member_choices()
        self.fields["fractie"].queryset = selectors.fractie_choices()
        for name in ("organisation", "member", "fractie"):
            self.fields[name].error_messages["invalid_choice"] = _("Kies uit de lijst.")


class VngMotionForm(_DescribedErrors, forms.Form):
    """A motion or resolution of the VNG's general meeting, entered by hand."""

    kind = forms.ChoiceField(
        label=_("Soort"),
        choices=[("motie", _("motie")), ("resolutie", _("resolutie"))],
        widget=forms.Select(attrs=SELECT),
        error_messages={
            "required": _("Kies of het een motie of een resolutie is."),
            "invalid_choice": _("Kies of het een motie of een resolutie is."),
        },
    )
    number = forms.CharField(
        label=_("Nummer"),
        required=False,
        max_length=50,
        widget=forms.TextInput(TEXTBOX),
        error_messages={"max_length": _("Gebruik hoogstens 50 tekens voor het nummer.")},
    )
    title = forms.CharField(
        label=_("Titel"),
        widget=forms.TextInput(TEXTBOX),
        error_messages={"required": _("Geef de motie een titel.")},
    )
    date = forms.DateField(
        label=_("Datum van de algemene ledenvergadering"),
        widget=forms.DateInput(DATE, format="%Y-%m-%d"),
        error_messages={
            "required": _("Vul de datum van de algemene ledenvergadering in."),
            "invalid": _("Vul een geldige datum in, zoals 2-12-2026."),
        },
    )
    subject = forms.CharField(label=_("Onderwerp"), required=False, widget=forms.Textarea(TEXTAREA))
    dossiers = forms.ModelMultipleChoiceField(
        label=_("Thema's"), queryset=None, required=False, widget=forms.SelectMultiple(MULTI)
    )
    co_submitters = forms.ModelMultipleChoiceField(
        label=_("Mede-indieners"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(MULTI),
    )
    outcome = forms.ChoiceField(
        label=_("Uitkomst"),
        required=False,
        widget=forms.Select(attrs=SELECT),
        error_messages={"invalid_choice": _("Kies een uitkomst uit de lijst.")},
    )
    decided_on = forms.DateField(
        label=_("Besloten op"),
        required=False,
        widget=forms.DateInput(DATE, format="%Y-%m-%d"),
        error_messages={"invalid": _("Vul een geldige datum in, zoals 2-12-2026.")},
    )

    def __init__(self, *args, user, **kwargs):
        from m50.publicaffairs.models import MotionOutcome

        super().__init__(*args, **kwargs)
        self.fields["dossiers"].queryset = selectors.dossier_list(user=user)
        self.fields["co_submitters"].queryset = selectors.stakeholder_organisation_choices()
        self.fields["outcome"].choices = MotionOutcome.Outcome.choices
        several = _("Meer dan één kiezen: houd Ctrl (op een Mac Cmd) ingedrukt.")
        for name in ("dossiers", "co_submitters"):
            self.fields[name].help_text = several
            self.fields[name].error_messages["invalid_choice"] = _("Kies uit de lijst.")
            self.fields[name].error_messages["invalid_pk_value"] = _("Kies uit de lijst.")
