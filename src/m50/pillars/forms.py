"""Forms of the pillars pages: they parse input; the services decide (DESIGN.md §3).

A refused write (a Dutch ValidationError from a service) is put on the form by
:meth:`RefusalMixin.add_refusal`; the page shows it and nothing is written.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from m50.core import forms as core_forms
from m50.core.forms import (  # noqa: F401 - the other apps' forms import them from here too
    CHECKBOX,
    CHOICE_ERRORS,
    DATE_INPUT_FORMATS,
    SELECT,
    TEXTAREA,
    TEXTBOX,
)
from m50.municipalities import selectors as registry
from m50.pillars.models import Pillar, Role, TopicStatus


class RefusalMixin(core_forms.RefusalMixin):
    """A refusal next to the field it is about, tied to it for assistive technology."""

    # The id of a field's error message in the template that shows it.
    error_id_suffix = "_error"

    def full_clean(self):
        super().full_clean()
        # Tie each error message to its field for assistive technology.
        for name in self.errors:
            if name in self.fields:
                ids = [f"{self[name].auto_id}{self.error_id_suffix}"]
                if self.fields[name].help_text:
                    ids.append(f"{self[name].auto_id}_helptext")
                self.fields[name].widget.attrs["aria-describedby"] = " ".join(ids)


def _textarea(label, *, required=False, help_text="", rows=3):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"class": TEXTAREA, "rows": rows}),
        error_messages={"required": _("Vul dit veld in.")},
    )


def _select(label, choices, *, required=True):
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=required,
        widget=forms.Select(attrs={"class": SELECT}),
        error_messages=CHOICE_ERRORS,
    )


def _date(label, *, required=False, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"class": TEXTBOX, "type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "invalid": _("Vul een datum in als dag-maand-jaar, bijvoorbeeld 22-08-2026."),
            "required": _("Vul een datum in."),
        },
    )


class BodyEditForm(RefusalMixin, forms.Form):
    purpose = _textarea(_("Doel en omschrijving"), rows=5)


def themes_field(help_text=""):
    """Checkboxes of the shared themes (DESIGN.md §5); the choices come from
    :meth:`ThemesMixin.offer_themes`."""
    return forms.MultipleChoiceField(
        label=_("Thema's"),
        required=False,
        help_text=help_text,
        widget=forms.CheckboxSelectMultiple(attrs={"class": CHECKBOX}),
        error_messages={"invalid_choice": _("Kies thema's uit de lijst; %(value)s bestaat niet.")},
    )


class ThemesMixin:
    """A form with a ``themes`` field of checkboxes, by slug."""

    def offer_themes(self, themes) -> None:
        self.theme_objects = {theme.slug: theme for theme in themes}
        self.fields["themes"].choices = [
            (
                theme.slug,
                theme.name
                if theme.active
                else str(_("%(name)s (niet meer in gebruik)") % {"name": theme.name}),
            )
            for theme in themes
        ]

    def chosen_themes(self) -> list:
        return [self.theme_objects[slug] for slug in self.cleaned_data.get("themes") or ()]


class TopicProposeForm(ThemesMixin, RefusalMixin, forms.Form):
    title = forms.CharField(
        label=_("Titel"),
        max_length=200,
        widget=forms.TextInput(attrs={"class": TEXTBOX}),
        error_messages={
            "required": _("Vul een titel in."),
            "max_length": _("Gebruik hoogstens %(limit_value)d tekens."),
        },
    )
    description = _textarea(_("Korte omschrijving"))

    def __init__(self, *args, themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"] = themes_field(
            _("Waar het onderwerp over gaat, in de thema's die het hele netwerk gebruikt.")
        )
        self.offer_themes(themes)


class TopicStatusForm(RefusalMixin, forms.Form):
    status = _select(_("Nieuwe status"), ())
    note = _textarea(_("Toelichting"), rows=2)

    def __init__(self, *args, statuses=None, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(TopicStatus.choices)
        allowed = statuses if statuses is not None else TopicStatus.values
        self.fields["status"].choices = [
            (value, labels[value]) for value in TopicStatus.values if value in allowed
        ]


class JoinForm(RefusalMixin, forms.Form):
    position = _select(_("Namens welke functie"), ())
    note = _textarea(_("Toelichting voor de voorzitter"), rows=2)

    def __init__(self, *args, positions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.positions = {str(p.pk): p for p in positions}
        self.fields["position"].choices = [
            (str(p.pk), f"{p.get_function_display()}, {p.organisation.name}") for p in positions
        ]


class RequestHandleForm(RefusalMixin, forms.Form):
    ACCEPT, REFUSE = "accepteren", "afwijzen"

    decision = forms.ChoiceField(
        label=_("Besluit"),
        choices=[(ACCEPT, _("Accepteren")), (REFUSE, _("Afwijzen"))],
        widget=forms.RadioSelect,
        error_messages=CHOICE_ERRORS,
    )
    refusal_reason = _textarea(_("Reden van afwijzing"), rows=2)


class ParticipationEndForm(RefusalMixin, forms.Form):
    end_date = _date(
        _("Laatste dag van de deelname"), help_text=_("Leeg: vandaag is de laatste dag.")
    )


ROLE_CHOICES = [(Role.MEMBER.value, Role.MEMBER.label), (Role.OBSERVER.value, Role.OBSERVER.label)]


class RegisterForm(RefusalMixin, forms.Form):
    """An official of the municipality registered in a pillar or theme group."""

    position = _select(_("Functionaris"), ())
    body = _select(_("Pijler of themagroep"), ())
    role = _select(_("Rol"), ROLE_CHOICES)
    start_date = _date(_("Begindatum"), help_text=_("Leeg: vandaag."))

    def __init__(self, *args, positions=(), bodies=(), chair_choice=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.positions = {str(p.pk): p for p in positions}
        self.bodies = {body_key(b): b for b in bodies}
        if chair_choice:
            self.fields["role"].choices = [*ROLE_CHOICES, (Role.CHAIR.value, Role.CHAIR.label)]
        self.fields["position"].choices = [("", _("Kies een functionaris"))] + [
            (str(p.pk), f"{p.person.full_name}, {p.get_function_display()}") for p in positions
        ]
        self.fields["body"].choices = [("", _("Kies een pijler of themagroep"))] + [
            (body_key(b), body_label(b)) for b in bodies
        ]


def body_key(body) -> str:
    return f"{'pijler' if isinstance(body, Pillar) else 'themagroep'}-{body.pk}"


def body_label(body) -> str:
    if isinstance(body, Pillar):
        return str(_("Pijler %(name)s") % {"name": body.name})
    return str(_("Themagroep %(name)s") % {"name": body.name})


class MatrixFilterForm(RefusalMixin, forms.Form):
    """The filters of the participation matrix; an invalid value is reported, not fatal."""

    ALL, MEMBER, ASPIRANT = "", "lid", "aspirant"
    error_id_suffix = "-fout"  # core/_form_field.html

    provincie = _select(_("Provincie"), (), required=False)
    bandbreedte = _select(
        _("Bandbreedte"),
        [
            ("", _("Alle gemeenten")),
            (registry.BandFilter.IN, _("Binnen de bandbreedte")),
            (registry.BandFilter.OUT, _("Buiten de bandbreedte")),
        ],
        required=False,
    )
    status = _select(
        _("Lidmaatschap"),
        [
            (ALL, _("Leden en aspirant-leden")),
            (MEMBER, _("Leden")),
            (ASPIRANT, _("Aspirant-leden")),
        ],
        required=False,
    )

    def __init__(self, *args, provinces=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provincie"].choices = [("", _("Alle provincies"))] + [
            (province.code, province.name) for province in provinces
        ]

    def filters(self) -> dict:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return {
            "province": data.get("provincie") or "",
            "band": data.get("bandbreedte") or "",
            "status": data.get("status") or self.ALL,
        }


# --- Starting and ending pillars and theme groups ---------------------------------------------


class BodyCreateForm(RefusalMixin, forms.Form):
    """What a new pillar and a new theme group share; the slug follows from the name."""

    name = forms.CharField(
        label=_("Naam"),
        max_length=100,
        widget=forms.TextInput(attrs={"class": TEXTBOX}),
        error_messages={
            "required": _("Vul een naam in."),
            "max_length": _("Gebruik hoogstens %(limit_value)d tekens."),
        },
    )
    purpose = _textarea(_("Doel en omschrijving"), rows=4)
    started_on = _date(_("Begonnen op"), help_text=_("Leeg: de begindatum is onbekend."))


class PillarCreateForm(BodyCreateForm):
    predecessors = forms.MultipleChoiceField(
        label=_("Zet het werk voort van"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": CHECKBOX}),
        error_messages={
            "invalid_choice": _("Kies een pijler uit de lijst; %(value)s bestaat niet.")
        },
    )
    succession_note = _textarea(
        _("Welk werk gaat over"),
        rows=2,
        help_text=_("Alleen als u hierboven een eerdere pijler kiest."),
    )

    def __init__(self, *args, pillars=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.pillars = {str(p.pk): p for p in pillars}
        self.fields["predecessors"].choices = [(str(p.pk), p.name) for p in pillars]

    def chosen_predecessors(self) -> list:
        return [self.pillars[key] for key in self.cleaned_data["predecessors"]]


class ThemeGroupCreateForm(BodyCreateForm):
    pillar = _select(_("Hoort bij"), (), required=False)

    def __init__(self, *args, pillars=None, **kwargs):
        """``pillars``: the pillars to choose from (or the network as a whole); None when the
        pillar is given by the page."""
        super().__init__(*args, **kwargs)
        if pillars is None:
            del self.fields["pillar"]
            self.pillars = {}
            return
        self.pillars = {str(p.pk): p for p in pillars}
        self.fields["pillar"].choices = [("", _("Het hele netwerk"))] + [
            (str(p.pk), str(_("Pijler %(name)s") % {"name": p.name})) for p in pillars
        ]

    def chosen_pillar(self):
        return self.pillars.get(self.cleaned_data.get("pillar") or "")


class BodyEndForm(RefusalMixin, forms.Form):
    ended_on = _date(
        _("Laatste dag"),
        required=True,
        help_text=_(
            "De laatste dag waarop de pijler of themagroep loopt; een dag in de toekomst mag."
        ),
    )
