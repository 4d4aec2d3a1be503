"""The filter form of the organisation list."""

from django import forms
from django.utils.translation import gettext_lazy as _

from m50.contacts.selectors import KIND_PARAMETERS


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
