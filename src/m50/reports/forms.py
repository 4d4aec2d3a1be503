"""The contact's request to change its municipality's invoice details: the bureau's billing
form (the same fields, labels and checks) with room to explain the change."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from m50.finance.forms import TEXTAREA, BillingForm


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
