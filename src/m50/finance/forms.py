"""Forms of the finance pages: they parse input; the services decide (DESIGN.md §3).

A refused write (a Dutch ValidationError from a service) is put on the form by
:meth:`RefusalMixin.add_refusal`, so the page shows it in its error summary and nothing is
written.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from m50.core.forms import RefusalMixin
from m50.finance import selectors
from m50.finance.exports import money_text
from m50.finance.models import BillingDetails
from m50.finance.services import BILLING_FIELDS

TEXTBOX = "utrecht-textbox utrecht-textbox--html-input"
SELECT = "utrecht-select utrecht-select--html-select"
TEXTAREA = "utrecht-textarea utrecht-textarea--html-textarea"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]
FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_AMOUNT = Decimal("99999999.99")  # what the amount columns hold (10 digits, 2 decimals)


class DateInput(forms.DateInput):
    """A native date field (works without JavaScript); ISO values in and out."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": TEXTBOX, **(attrs or {})}, format="%Y-%m-%d")


def _year(label, *, required=True, help_text=""):
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"class": TEXTBOX, "inputmode": "numeric"}),
        error_messages={
            "required": _("Vul een jaar in."),
            "invalid": _("Vul een jaar in als getal, bijvoorbeeld 2024."),
            "min_value": _("Vul een jaar in vanaf %(limit_value)s."),
            "max_value": _("Vul een jaar in tot en met %(limit_value)s."),
        },
    )


# 1.234,56 (Dutch), 1234,56, 1234.56 and 1234; "1.234" alone could be either and is refused.
DUTCH_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$")
PLAIN = re.compile(r"^\d+([.,]\d+)?$")
AMBIGUOUS = re.compile(r"^\d{1,3}\.\d{3}$")


def parse_amount(text: str) -> str:
    """A typed amount as ``1234.56`` for ``Decimal``; ValueError when it is not an amount or
    could mean two amounts (``1.234``: one thousand or one euro?)."""
    value = "".join(text.replace("€", "").split())
    sign = ""
    if value[:1] in "-+" and value:
        sign, value = ("-" if value[0] == "-" else ""), value[1:]
    if AMBIGUOUS.match(value):
        raise ValueError("ambiguous")
    if DUTCH_GROUPED.match(value):
        return sign + value.replace(".", "").replace(",", ".")
    if PLAIN.match(value):
        return sign + value.replace(",", ".")
    raise ValueError("invalid")


class AmountField(forms.DecimalField):
    """An amount in euros as the Dutch write it; errors show amounts as ``€ 1.234,56``."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            value = parse_amount(str(value))
        except ValueError as error:
            code = str(error)
            raise ValidationError(self.error_messages[code], code=code) from error
        return super().to_python(value)

    def run_validators(self, value):
        try:
            super().run_validators(value)
        except ValidationError as error:
            if any(getattr(e, "code", "") == "max_value" for e in error.error_list):
                raise ValidationError(
                    self.error_messages["max_value"]
                    % {"limit_value": "€ " + money_text(self.max_value)},
                    code="max_value",
                ) from error
            raise


def _amount(label, *, help_text=""):
    return AmountField(
        label=label,
        max_digits=10,
        decimal_places=2,
        max_value=MAX_AMOUNT,
        help_text=help_text,
        widget=forms.TextInput(attrs={"class": TEXTBOX, "inputmode": "decimal"}),
        error_messages={
            "required": _("Vul een bedrag in."),
            "invalid": _("Vul een bedrag in euro's in, bijvoorbeeld 1.234,56 of 5000,00."),
            "ambiguous": _(
                "Dit bedrag kan op twee manieren gelezen worden; schrijf bijvoorbeeld 1.234,00 "
                "voor duizend tweehonderdvierendertig euro, of 1,23 met een komma voor de centen."
            ),
            "max_digits": _("Dit bedrag is te groot."),
            "max_whole_digits": _("Dit bedrag is te groot."),
            "max_decimal_places": _(
                "Vul een bedrag in met hoogstens twee cijfers achter de komma."
            ),
            "max_value": _("Dit bedrag is te groot: hoogstens %(limit_value)s."),
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


def _issue_date(*, required=True, help_text=""):
    return forms.DateField(
        label=_("Factuurdatum"),
        required=required,
        input_formats=DATE_INPUT_FORMATS,
        help_text=help_text,
        widget=DateInput(),
        error_messages={
            "invalid": _("Vul een datum in als dag-maand-jaar, bijvoorbeeld 16-01-2024."),
            "required": _("Vul een datum in."),
        },
    )


class RunForm(RefusalMixin, forms.Form):
    year = _year(
        _("Contributiejaar"),
        help_text=_(
            "Het jaar waarvoor de contributie wordt gefactureerd. Alleen lidmaatschappen die "
            "dat jaar ten minste één dag definitief lid zijn en nog geen factuur voor dat jaar "
            "hebben, krijgen een factuur."
        ),
    )
    issue_date = _issue_date(
        help_text=_(
            "De datum op de concepten. Bij het versturen kunt u nog een andere datum kiezen; "
            "het factuurnummer volgt het jaar van de factuurdatum."
        )
    )
    fieldsets = ((_("Facturatierun"), ("year", "issue_date")),)


class FeeForm(RefusalMixin, forms.Form):
    valid_from_year = _year(
        _("Geldig vanaf jaar"),
        help_text=_("De contributie geldt vanaf dit jaar, tot een later jaar een andere krijgt."),
    )
    amount = _amount(_("Bedrag per jaar (euro)"), help_text=_("Bijvoorbeeld 5000,00."))
    category = forms.ChoiceField(
        label=_("Categorie"),
        choices=(),
        widget=forms.Select(attrs={"class": SELECT}),
        error_messages={
            "required": _("Maak een keuze."),
            "invalid_choice": _("Kies een categorie uit de lijst; %(value)s bestaat niet."),
        },
    )
    fieldsets = ((_("Contributie vaststellen"), ("valid_from_year", "amount", "category")),)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        categories = list(settings.M50_FEE_CATEGORIES)
        self.fields["category"].choices = [(c, c) for c in categories]
        self.fields["category"].initial = categories[0]
        if len(categories) == 1:  # one category (the default): nothing to choose
            del self.fields["category"]
            self.fieldsets = ((_("Contributie vaststellen"), ("valid_from_year", "amount")),)


class BillingForm(RefusalMixin, forms.Form):
    """The municipality's invoice details, copied onto each new invoice."""

    fieldsets = (
        (_("Debiteur"), ("name", "address_line", "postal_code", "city")),
        (_("Identificatie (elektronisch adres van de e-factuur)"), ("oin", "kvk")),
        (_("Contact en referentie"), ("email", "contact_name", "purchase_order")),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in forms.fields_for_model(BillingDetails, fields=BILLING_FIELDS).items():
            field.error_messages.update(
                {
                    "required": _("Vul dit veld in."),
                    "max_length": _("Gebruik hoogstens %(limit_value)d tekens."),
                    "invalid": _(
                        "Vul een geldig e-mailadres in, bijvoorbeeld facturen@gemeente.nl."
                    )
                    if name == "email"
                    else field.error_messages.get("invalid", ""),
                }
            )
            field.widget.attrs["class"] = TEXTBOX
            self.fields[name] = field
        self.fields["oin"].help_text = _(
            "Het Organisatie-identificatienummer (20 cijfers): het adres waarop de gemeente "
            "e-facturen ontvangt."
        )
        self.fields["kvk"].help_text = _("8 cijfers; gebruikt als er geen OIN is.")
        self.fields["email"].help_text = _(
            "Hierheen gaan de facturen. Leeg: naar de contactpersonen van de gemeente."
        )
        self.fields["purchase_order"].help_text = _(
            "Komt op elke nieuwe factuur, als de gemeente dat vraagt."
        )


STATUS_CHOICES = [
    ("", _("Alle statussen")),
    *[(key, label) for key, label in selectors.Status.LABELS.items()],
]


class InvoiceFilterForm(forms.Form):
    """The filters of the invoice list (GET); an invalid value is reported, the rest apply."""

    jaar = _year(_("Contributiejaar"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=STATUS_CHOICES,
        widget=forms.Select(attrs={"class": SELECT}),
        error_messages={
            "invalid_choice": _("Kies een status uit de lijst; %(value)s is geen geldige keuze.")
        },
    )
    gemeente = _text(_("Gemeente"), max_length=100)

    def filters(self) -> dict:
        data = getattr(self, "cleaned_data", {})
        return {
            "year": data.get("jaar"),
            "status": data.get("status") or "",
            "search": (data.get("gemeente") or "").strip(),
        }


class SendForm(RefusalMixin, forms.Form):
    """A confirmation, with room for the messages of a refusal; for a draft, its invoice date
    (see ``for_draft``)."""

    issue_date = _issue_date(
        required=False,
        help_text=_(
            "Het factuurnummer volgt het jaar van deze datum; de vervaldatum ook. Leeg: de datum "
            "van het concept."
        ),
    )
    fieldsets = ((_("Versturen"), ("issue_date",)),)

    def __init__(self, *args, for_draft: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not for_draft:  # a numbered invoice keeps its date
            del self.fields["issue_date"]
            self.fieldsets = ()


class SendAllForm(RefusalMixin, forms.Form):
    jaar = _year(_("Contributiejaar"), help_text=_("De concepten van dit jaar worden verstuurd."))
    issue_date = _issue_date(
        required=False,
        help_text=_(
            "Elk verstuurd concept krijgt deze factuurdatum, een vervaldatum die daarop volgt en "
            "een nummer in het jaar van deze datum. Leeg: de datum van elk concept."
        ),
    )
    fieldsets = ((_("Concepten versturen"), ("jaar", "issue_date")),)


class WithdrawForm(RefusalMixin, forms.Form):
    reason = _text(
        _("Reden (niet verplicht)"),
        max_length=200,
        help_text=_("Komt in de audittrail, bijvoorbeeld ‘lidmaatschap loopt niet meer’."),
    )
    fieldsets = ((_("Concept intrekken"), ("reason",)),)


class ConfirmForm(RefusalMixin, forms.Form):
    """No fields: a confirmation, with room for the messages of a refusal."""


class CreditForm(RefusalMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reden van de creditering"),
        max_length=200,
        help_text=_(
            "Verplicht. De reden komt op de creditnota, bijvoorbeeld ‘verkeerd adres’. Een "
            "verzonden factuur wordt nooit gewijzigd of verwijderd: de creditnota heft haar op."
        ),
        widget=forms.Textarea(attrs={"class": TEXTAREA, "rows": 3}),
        error_messages={
            "required": _("Geef de reden van de creditering."),
            "max_length": _("Gebruik hoogstens %(limit_value)d tekens."),
        },
    )
    fieldsets = ((_("Creditering"), ("reason",)),)


class PaymentForm(RefusalMixin, forms.Form):
    paid_on = forms.DateField(
        label=_("Betaald op"),
        input_formats=DATE_INPUT_FORMATS,
        widget=DateInput(),
        error_messages={
            "invalid": _("Vul een datum in als dag-maand-jaar, bijvoorbeeld 20-01-2024."),
            "required": _("Vul een datum in."),
        },
    )
    amount = _amount(_("Bedrag (euro)"), help_text=_("Een deelbetaling mag; betalingen tellen op."))
    reference = _text(
        _("Kenmerk"), max_length=300, help_text=_("Bijvoorbeeld de omschrijving op het afschrift.")
    )
    fieldsets = ((_("Betaling"), ("paid_on", "amount", "reference")),)


class MatchForm(RefusalMixin, forms.Form):
    number = _text(
        _("Factuurnummer"),
        max_length=12,
        required=True,
        help_text=_("Het nummer van de factuur waarop deze bijschrijving wordt geboekt."),
    )
    fieldsets = ((_("Koppelen aan een factuur"), ("number",)),)


class StatementForm(RefusalMixin, forms.Form):
    file = forms.FileField(
        label=_("Bankafschrift (CAMT.053, XML)"),
        help_text=_(
            "Het afschrift zoals de bank het levert. Een afschrift dat al is ingelezen, wordt "
            "overgeslagen; een onjuist bestand wordt geweigerd en er wordt niets ingelezen."
        ),
        widget=forms.ClearableFileInput(attrs={"class": "utrecht-file-input", "accept": ".xml"}),
        error_messages={
            "required": _("Kies een bestand."),
            "empty": _("Het bestand is leeg."),
            "invalid": _("Kies een bestand."),
        },
    )
    fieldsets = ((_("Bankafschrift inlezen"), ("file",)),)

    def clean_file(self):
        # The cap is checked before anything is read (M50_CAMT_MAX_UPLOAD_BYTES).
        from m50.finance.payments import upload_refusal

        file = self.cleaned_data["file"]
        refusal = upload_refusal(getattr(file, "size", None))
        if refusal:
            raise forms.ValidationError(refusal)
        return file


class DismissForm(RefusalMixin, forms.Form):
    reason = _text(
        _("Reden"),
        max_length=300,
        required=True,
        help_text=_(
            "Waarom deze regel geen betaling van een factuur is, bijvoorbeeld: dubbel "
            "ingelezen, terugbetaling, bankkosten, rente."
        ),
    )
    fieldsets = ((_("Geen factuurbetaling"), ("reason",)),)


class NotDuplicateForm(RefusalMixin, forms.Form):
    # Not "reason": the page also holds DismissForm, and the ids must differ.
    why = _text(
        _("Reden"),
        max_length=300,
        required=True,
        help_text=_(
            "Waarom deze regel geen dubbele boeking is, bijvoorbeeld: de gemeente heeft "
            "hetzelfde bedrag twee keer betaald, volgens de bank."
        ),
    )
    fieldsets = ((_("Geen dubbele boeking"), ("why",)),)
