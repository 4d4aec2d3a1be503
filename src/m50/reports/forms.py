"""The contact's request to change its municipality's invoice details: the bureau's billing
form (the same fields, labels and checks) with room to explain the change."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from m50.finance.forms import TEXTAREA, BillingForm, RefusalMixin


class BillingChangeForm(BillingForm):
    fieldsets = (
        *BillingForm.fieldsets,
        (_("Toelichting voor het bureau"), ("remarks",)),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["remarks"] = forms.CharField(
            label=_("Toelichting"),
            required=False,
            max_length=2000,
            help_text=_("Bijvoorbeeld: vanaf welke datum de nieuwe gegevens gelden."),
            widget=forms.Textarea(attrs={"class": TEXTAREA, "rows": 3}),
            error_messages={"max_length": _("Gebruik hoogstens %(limit_value)d tekens.")},
        )


class HandleForm(RefusalMixin, forms.Form):
    """The bureau applies a requested change, or rejects it with a reason for the contact."""

    APPLY = "apply"
    REJECT = "reject"

    action = forms.ChoiceField(
        choices=[(APPLY, _("Verwerken")), (REJECT, _("Afwijzen"))],
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Kies verwerken of afwijzen."),
            "invalid_choice": _("Kies verwerken of afwijzen."),
        },
    )
    reason = forms.CharField(
        label=_("Reden van afwijzing"),
        required=False,
        max_length=2000,
        help_text=_("Verplicht bij afwijzen; de contactpersoon krijgt haar per e-mail."),
        widget=forms.Textarea(attrs={"class": TEXTAREA, "rows": 3}),
        error_messages={"max_length": _("Gebruik hoogstens %(limit_value)d tekens.")},
    )

    def clean(self):
        data = super().clean()
        if data.get("action") == self.REJECT and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Geef een reden voor de afwijzing."))
        return data
