"""The form for the council memo: what the platform does not know (the date of the college
meeting, team, author) and what the user may override (portfolio holder, subject, period)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from m50.core.forms import RefusalMixin, date_field, select_field, text_field
from m50.reports.memo.content import MemoInput

FORMATS = (("docx", _("Word (DOCX)")), ("pdf", _("PDF")))


class CouncilMemoForm(RefusalMixin, forms.Form):
    fieldsets = (
        (_("Kop van de brief"), ("datum", "portefeuillehouder", "team", "steller", "onderwerp")),
        (_("Periode en financiën"), ("van", "tot", "begrotingspost")),
        (_("Bestand"), ("bestandsvorm",)),
    )

    datum = date_field(_("Datum van de collegevergadering"), required=True)
    portefeuillehouder = text_field(_("Portefeuillehouder"), required=False)
    team = text_field(_("Team"), max_length=100)
    steller = text_field(_("Steller"))
    onderwerp = text_field(
        _("Onderwerp"),
        max_length=300,
        required=False,
        help_text=_("Leeg: Lidmaatschap van het M50 en de naam van de gemeente."),
    )
    van = date_field(
        _("Periode vanaf"), help_text=_("Leeg: de datum van het eerste besluit in het dossier.")
    )
    tot = date_field(_("Periode tot en met"), help_text=_("Leeg: de datum van de vergadering."))
    begrotingspost = text_field(
        _("Begrotingspost"),
        max_length=200,
        required=False,
        help_text=_("Leeg: de brief zegt dat de contributie uit de lopende begroting komt."),
    )
    bestandsvorm = select_field(_("Bestandsvorm"), FORMATS)

    def __init__(self, *args, portfolio_holder: str = "", house_template: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if house_template:
            self.fields["bestandsvorm"].choices = [
                *FORMATS,
                ("huisstijl", _("Word (DOCX) in het huisstijlsjabloon van de gemeente")),
            ]
        if portfolio_holder:
            self.fields["portefeuillehouder"].help_text = _(
                "Leeg: %(name)s (uit de functies van de gemeente)."
            ) % {"name": portfolio_holder}
        else:
            self.fields["portefeuillehouder"].required = True
            self.fields["portefeuillehouder"].help_text = _(
                "Het platform kent geen burgemeester of wethouder met het M50 in de "
                "portefeuille; vul de naam in."
            )

    def clean(self):
        data = super().clean()
        start, end = data.get("van"), data.get("tot")
        if start and end and start > end:
            self.add_error("tot", _("Het einde van de periode ligt vóór het begin."))
        return data

    def memo_input(self) -> MemoInput:
        data = self.cleaned_data
        return MemoInput(
            datum=data["datum"],
            portefeuillehouder=data["portefeuillehouder"],
            team=data["team"],
            steller=data["steller"],
            onderwerp=data["onderwerp"],
            begrotingspost=data["begrotingspost"],
        )


class HouseTemplateForm(forms.Form):
    sjabloon = forms.FileField(
        label=_("Huisstijlsjabloon (Word, .docx)"),
        error_messages={
            "required": _("Kies een Word-bestand (.docx)."),
            "empty": _("Het gekozen bestand is leeg."),
            "invalid": _("Kies een Word-bestand (.docx)."),
        },
        widget=forms.ClearableFileInput(
            attrs={
                "class": "utrecht-textbox utrecht-textbox--html-input",
                "accept": ".docx,application/vnd.openxmlformats-officedocument"
                ".wordprocessingml.document",
            }
        ),
    )


class ValuePeriodForm(RefusalMixin, forms.Form):
    van = date_field(_("Periode vanaf"))
    tot = date_field(_("Periode tot en met"))

    def clean(self):
        data = super().clean()
        start, end = data.get("van"), data.get("tot")
        if start and end and start > end:
            self.add_error("tot", _("Het einde van de periode ligt vóór het begin."))
        return data
