"""Forms of the membership pages: they parse input, and explain the rules the services enforce.

No form checks a rule of the dossier itself: the services refuse a decision with every broken
rule (:class:`m50.membership.services.DecisionRefused`), and :meth:`RefusalMixin.add_refusal`
puts those messages on the form, next to the field they are about where there is one.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from m50.core import forms as core_forms
from m50.core.formats import long_date
from m50.membership.models import DecidingBody, DecisionKind

TEXTBOX = "utrecht-textbox utrecht-textbox--html-input"
SELECT = "utrecht-select utrecht-select--html-select"
TEXTAREA = "utrecht-textarea utrecht-textarea--html-textarea"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]

# Which field a refusal is about, so the error summary can link to it (presentation only:
# the rules and their messages live in m50.membership.rules and services).
PROBLEM_FIELDS = {
    "effective_before_decided": "effective_on",
    "municipality_dissolved": "effective_on",
    "announced_before_decided": "announced_on",
    "dated_before_previous": "decided_on",
    "mandate_without_deadline": "mandate_deadline",
    "mandate_deadline_in_past": "mandate_deadline",
    "mandate_without_body": "mandated_body",
    "body_not_competent": "deciding_body",
    "no_mandate": "deciding_body",
    "mandate_expired": "deciding_body",
    "aspirant_while_running": "kind",
    "already_member": "kind",
    "mandate_without_aspirant": "kind",
    "definitive_without_aspirant": "kind",
    "not_a_member": "kind",
    "nothing_to_continue": "predecessor",
    "succession_without_predecessor": "predecessor",
    "succession_without_merger": "predecessor",
    "reason_required": "reason",
    "document_required": "document_title",
}


class DateInput(forms.DateInput):
    """A native date field (works without JavaScript); ISO values in and out."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": TEXTBOX, **(attrs or {})}, format="%Y-%m-%d")


def _date_field(label, *, required=True, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_INPUT_FORMATS,
        help_text=help_text,
        widget=DateInput(),
        error_messages={
            "invalid": _("Vul een datum in als dag-maand-jaar, bijvoorbeeld 22-08-2022."),
            "required": _("Vul een datum in."),
        },
    )


def _select(choices, label, *, required=True, help_text="", blank_label=None):
    if blank_label is not None:
        choices = [("", blank_label), *choices]
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


def _text(label, *, max_length, required=False, help_text=""):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        widget=forms.TextInput(attrs={"class": TEXTBOX}),
        error_messages={
            "required": _("Vul dit veld in."),
            "max_length": _("Gebruik hoogstens %(limit_value)d tekens."),
        },
    )


def _textarea(label, *, required=False, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"class": TEXTAREA, "rows": 4}),
        error_messages={"required": _("Vul dit veld in.")},
    )


def _kinds(*kinds):
    labels = dict(DecisionKind.choices)
    return [(kind.value, labels[kind]) for kind in kinds]


RECORDABLE_KINDS = _kinds(
    DecisionKind.ASPIRANT, DecisionKind.MANDATE, DecisionKind.DEFINITIVE, DecisionKind.TERMINATION
)
CORRECTABLE_KINDS = [*RECORDABLE_KINDS, *_kinds(DecisionKind.SUCCESSION)]


def direct_entry_text() -> str:
    if settings.M50_MEMBERSHIP_DIRECT_ENTRY:
        return str(_("De netwerkregeling staat direct toetreden toe, zonder aspirant-jaar."))
    return str(
        _(
            "Definitief lidmaatschap volgt op een aspirant-lidmaatschap; direct toetreden "
            "staat de netwerkregeling niet toe."
        )
    )


class RefusalMixin(core_forms.RefusalMixin):
    """A refused decision names its problems by code; each goes to the field it is about."""

    def add_refusal(self, error: ValidationError) -> None:
        problems = getattr(error, "problems", None)
        if problems is None:
            super().add_refusal(error)
            return
        for problem in problems:
            field = getattr(problem, "field", "") or PROBLEM_FIELDS.get(problem.code)
            self.add_error(field if field in self.fields else None, problem.message)


class DecisionForm(RefusalMixin, forms.Form):
    """A decision as the bureau records it (or corrects it): every field of the dossier."""

    kind = _select(
        RECORDABLE_KINDS,
        _("Soort besluit"),
        blank_label=_("Kies de soort besluit"),
        help_text=_(
            "Aspirant-lidmaatschap: een proefjaar zonder contributie; er loopt er nooit meer "
            "dan één tegelijk. Mandaat: het college geeft tijdens het aspirant-lidmaatschap "
            "een ander orgaan de bevoegdheid om over definitief lidmaatschap te besluiten. "
            "Opzegging: alleen van een lopend (aspirant-)lidmaatschap."
        ),
    )
    deciding_body = _select(
        DecidingBody.choices,
        _("Besluitvormend orgaan"),
        blank_label=_("Kies wie besloot"),
        help_text=_(
            "Over aspirant-lidmaatschap en mandaat besluit het college (of de raad). Besluit "
            "een ander orgaan, zoals de burgemeester, over definitief lidmaatschap, dan moet "
            "het daarvoor een mandaat hebben dat op de besluitdatum nog geldt; het college "
            "kan altijd zelf besluiten. Over opzegging besluit het college, de raad of het "
            "bestuur van het M50."
        ),
    )
    decided_on = _date_field(
        _("Besloten op"),
        help_text=_(
            "Niet vóór het vorige besluit in het dossier. Is een eerder besluit onjuist "
            "vastgelegd, leg dan een correctie vast: de geschiedenis wordt nooit overschreven."
        ),
    )
    effective_on = _date_field(
        _("Gaat in op"),
        required=False,
        help_text=_(
            "Niet vóór de besluitdatum. Leeg laten: het besluit gaat in op de besluitdatum; "
            "een opzegging gaat in aan het eind van het kalenderjaar (op 1 januari daarna), "
            "tenzij u een andere datum invult."
        ),
    )
    announced_on = _date_field(
        _("Bekendgemaakt op"),
        required=False,
        help_text=_(
            "Bijvoorbeeld de collegevergadering waarin een besluit van de burgemeester is "
            "bekendgemaakt. Niet vóór de besluitdatum."
        ),
    )
    mandated_body = _select(
        DecidingBody.choices,
        _("Gemandateerd orgaan"),
        required=False,
        blank_label=_("Geen mandaat"),
        help_text=_(
            "Alleen bij een aspirant-lidmaatschap of een mandaatbesluit: wie over definitief "
            "lidmaatschap mag besluiten, bijvoorbeeld de burgemeester."
        ),
    )
    mandate_deadline = _date_field(
        _("Mandaat geldig tot en met"),
        required=False,
        help_text=_(
            "Leeg laten: één jaar na de besluitdatum (een besluit van 22-08-2022 geeft een "
            "mandaat tot en met 22-08-2023; 29 februari wordt 28 februari). Na deze datum kan "
            "alleen het college zelf nog besluiten."
        ),
    )
    document_title = _text(
        _("Titel van het document"),
        max_length=300,
        help_text=_("Het besluit of de brief waarin het staat, bijvoorbeeld het collegebesluit."),
    )
    document_number = _text(
        _("Kenmerk"), max_length=100, help_text=_("Het zaak- of documentnummer van de gemeente.")
    )
    document_url = forms.URLField(
        label=_("Link naar het document"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Een volledig webadres, bijvoorbeeld https://gemeente.nl/besluit."),
        widget=forms.URLInput(attrs={"class": f"{TEXTBOX} utrecht-textbox--url"}),
        error_messages={"invalid": _("Vul een volledig webadres in, beginnend met https://.")},
    )
    remarks = _textarea(
        _("Opmerkingen"),
        help_text=_("Alleen zichtbaar voor het bureau en de gemeente zelf."),
    )

    fieldsets = (
        (_("Het besluit"), ("kind", "deciding_body", "decided_on", "effective_on", "announced_on")),
        (_("Mandaat voor definitief lidmaatschap"), ("mandated_body", "mandate_deadline")),
        (_("Document"), ("document_title", "document_number", "document_url", "remarks")),
    )

    def __init__(self, *args, kinds=RECORDABLE_KINDS, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Kies de soort besluit")), *kinds]
        self.fields["kind"].help_text = f"{self.fields['kind'].help_text} {direct_entry_text()}"

    def values(self) -> dict:
        """Keyword arguments for the services; blank choices become ``""``."""
        data = dict(self.cleaned_data)
        data["mandated_body"] = data.get("mandated_body") or ""
        return data


class ProposalForm(DecisionForm):
    """A decision proposed by the municipality's contact: the document is required."""

    remarks = _textarea(
        _("Toelichting"),
        help_text=_("Wat het bureau moet weten om het voorstel te bevestigen."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document_title"].required = True
        self.fields["document_title"].help_text = _(
            "Verplicht: het bureau bevestigt een voorstel aan de hand van het document, "
            "bijvoorbeeld het collegebesluit."
        )


class WithdrawForm(RefusalMixin, forms.Form):
    reason = _textarea(
        _("Reden van intrekking"),
        required=True,
        help_text=_(
            "Verplicht. Trek een besluit alleen in als het ten onrechte is vastgelegd; het "
            "blijft zichtbaar in de tijdlijn en de wijzigingsgeschiedenis, maar telt niet meer "
            "mee voor de status."
        ),
    )
    fieldsets = ((_("Intrekking"), ("reason",)),)


class ConfirmForm(RefusalMixin, forms.Form):
    """No fields: a confirmation, with room for the messages of a refusal."""


class RejectForm(RefusalMixin, forms.Form):
    reason = _textarea(
        _("Reden van afwijzing"),
        required=True,
        help_text=_("Verplicht. De contactpersoon van de gemeente ziet deze reden."),
    )
    fieldsets = ((_("Afwijzing"), ("reason",)),)


class SuccessionForm(RefusalMixin, forms.Form):
    """A successor continues the membership of a municipality dissolved into it."""

    predecessor = _select(
        (),
        _("Voortgezet lidmaatschap van"),
        help_text=_(
            "De opgeheven gemeente die in deze gemeente is opgegaan. De voortzetting gaat in "
            "op de datum van de herindeling, en de opvolger zet de status voort die de "
            "voorganger de dag ervoor had (aspirant-lid of lid)."
        ),
    )
    deciding_body = _select(
        DecidingBody.choices,
        _("Besluitvormend orgaan"),
        blank_label=_("Kies wie besloot"),
        help_text=_("Meestal het college van de nieuwe gemeente, of het bestuur van het M50."),
    )
    decided_on = _date_field(
        _("Besloten op"),
        help_text=_(
            "Uiterlijk op de datum van de herindeling: de voortzetting gaat op die datum in, "
            "en een besluit kan niet ingaan vóór de datum waarop het is genomen. Niet vóór het "
            "vorige besluit in het dossier van de opvolger."
        ),
    )
    document_title = DecisionForm.base_fields["document_title"]
    document_number = DecisionForm.base_fields["document_number"]
    document_url = DecisionForm.base_fields["document_url"]
    remarks = DecisionForm.base_fields["remarks"]

    fieldsets = (
        (_("De voortzetting"), ("predecessor", "deciding_body", "decided_on")),
        (_("Document"), ("document_title", "document_number", "document_url", "remarks")),
    )

    def __init__(self, *args, predecessors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["predecessor"].choices = [
            ("", _("Kies de opgeheven gemeente")),
            *[
                (
                    m.municipality.code,
                    _("%(name)s (opgeheven op %(date)s)")
                    % {
                        "name": m.municipality.name,
                        "date": long_date(m.municipality.dissolved_on),
                    },
                )
                for m in predecessors
            ],
        ]


class OverviewFilterForm(forms.Form):
    """The status filter of the members overview (GET); an invalid value is reported."""

    ALL_RUNNING = ""
    MEMBER = "lid"
    ASPIRANT = "aspirant"
    TERMINATED = "beeindigd"

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            (ALL_RUNNING, _("Leden en aspirant-leden")),
            (MEMBER, _("Leden")),
            (ASPIRANT, _("Aspirant-leden")),
            (TERMINATED, _("Beëindigde lidmaatschappen")),
        ],
        error_messages={
            "invalid_choice": _("Kies een status uit de lijst; %(value)s is geen geldige keuze."),
        },
        widget=forms.Select(attrs={"class": SELECT}),
    )

    def status_value(self) -> str:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return data.get("status") or self.ALL_RUNNING
