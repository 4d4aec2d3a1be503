"""The filter form of the municipality list: GET parameters in, selector arguments out."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from m50.municipalities import selectors

SELECT = {"class": "utrecht-select utrecht-select--html-select"}


class MunicipalityFilterForm(forms.Form):
    """Validates the filters of ``/gemeenten/``; an invalid value is reported, not fatal.

    Field names are the Dutch query parameters. Choices come from the registry itself, so a
    province or network that does not exist is rejected with a message.
    """

    zoek = forms.CharField(
        label=_("Zoek op naam of CBS-code"),
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
    provincie = forms.ChoiceField(
        label=_("Provincie"),
        required=False,
        error_messages={
            "invalid_choice": _("Kies een provincie uit de lijst; %(value)s bestaat niet."),
        },
        widget=forms.Select(attrs=SELECT),
    )
    bandbreedte = forms.ChoiceField(
        label=_("Bandbreedte"),
        required=False,
        choices=[
            ("", _("Alle gemeenten")),
            (selectors.BandFilter.IN, _("Binnen de bandbreedte")),
            (selectors.BandFilter.OUT, _("Buiten de bandbreedte")),
        ],
        error_messages={
            "invalid_choice": _(
                "Kies bij bandbreedte 'binnen' of 'buiten'; %(value)s is geen geldige keuze."
            ),
        },
        widget=forms.Select(attrs=SELECT),
    )
    netwerk = forms.ChoiceField(
        label=_("Netwerk"),
        required=False,
        error_messages={
            "invalid_choice": _("Kies een netwerk uit de lijst; %(value)s bestaat niet."),
        },
        widget=forms.Select(attrs=SELECT),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            (selectors.Status.ACTIVE, _("Bestaande gemeenten")),
            (selectors.Status.DISSOLVED, _("Opgeheven gemeenten")),
            (selectors.Status.ALL, _("Bestaande en opgeheven")),
        ],
        error_messages={
            "invalid_choice": _("Kies een status uit de lijst; %(value)s is geen geldige keuze."),
        },
        widget=forms.Select(attrs=SELECT),
    )
    sorteer = forms.ChoiceField(
        label=_("Sorteer op"),
        required=False,
        choices=[
            (selectors.Ordering.NAME, _("Naam (A–Z)")),
            (selectors.Ordering.POPULATION_DESC, _("Inwoners, meeste eerst")),
            (selectors.Ordering.POPULATION_ASC, _("Inwoners, minste eerst")),
        ],
        error_messages={
            "invalid_choice": _(
                "Kies een sortering uit de lijst; %(value)s is geen geldige keuze."
            ),
        },
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, *args, provinces=(), networks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provincie"].choices = [("", _("Alle provincies"))] + [
            (province.code, province.name) for province in provinces
        ]
        self.fields["netwerk"].choices = [("", _("Alle netwerken"))] + [
            (network.code, f"{network.code} – {network.name}") for network in networks
        ]

    def full_clean(self):
        super().full_clean()
        # Tie each error message to its field for assistive technology.
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-describedby"] = f"{self[name].auto_id}-fout"

    def filters(self) -> dict:
        """Keyword arguments for ``selectors.municipality_list`` from the valid fields only.

        An invalid field falls back to its default, so a bad link still shows a useful list
        next to the message that explains what was ignored.
        """
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return {
            "search": data.get("zoek") or "",
            "province": data.get("provincie") or "",
            "band": data.get("bandbreedte") or "",
            "network": data.get("netwerk") or "",
            "status": data.get("status") or selectors.Status.ACTIVE,
            "ordering": data.get("sorteer") or selectors.Ordering.NAME,
        }

    @property
    def is_filtered(self) -> bool:
        filters = self.filters()
        return bool(
            filters["search"]
            or filters["province"]
            or filters["band"]
            or filters["network"]
            or filters["status"] != selectors.Status.ACTIVE
        )


class PopulationUploadForm(forms.Form):
    """A CBS population file to preview; its contents are checked by the import itself."""

    bestand = forms.FileField(
        label=_("CBS-bestand (CSV)"),
        help_text=_(
            "Inwonertallen op 1 januari in lang formaat, met de kolommen peildatum, gm_code, "
            "gemeentenaam, provincie_code, provincie, inwoners, cbs_tabel en cbs_variabele, "
            "zoals het meegeleverde bestand. U ziet eerst wat er verandert."
        ),
        widget=forms.FileInput(attrs={"class": "utrecht-file-input", "accept": ".csv,text/csv"}),
        error_messages={
            "required": _("Kies een bestand."),
            "empty": _("Het gekozen bestand is leeg."),
            "invalid": _("Er is geen bestand ontvangen; kies het bestand opnieuw."),
        },
    )
    bron = forms.CharField(
        label=_("Bron"),
        required=False,
        max_length=200,
        help_text=_(
            "Leeg laten om de bron per regel uit de kolommen cbs_tabel en cbs_variabele te nemen."
        ),
        widget=forms.TextInput(attrs={"class": "utrecht-textbox utrecht-textbox--html-input"}),
        error_messages={"max_length": _("Gebruik hoogstens %(limit_value)d tekens.")},
    )

    def clean_bestand(self):
        upload = self.cleaned_data["bestand"]
        limit = settings.M50_CBS_UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("Het bestand is %(size)s; de grens is %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        return upload


class PopulationConfirmForm(forms.Form):
    """The previewed file (signed, so what is confirmed is what was shown) and its plan."""

    voorvertoning = forms.CharField(widget=forms.HiddenInput)
    controle = forms.CharField(widget=forms.HiddenInput, max_length=64)
