"""What every form of the platform shares: the NL Design System classes of its fields, fields
with Dutch messages, and what it does with a refused write (DESIGN.md §3: forms parse, the
services decide): the service's ValidationError is shown on the form, next to the field it is
about where there is one, and the fields can be grouped on the page."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

TEXTBOX = "utrecht-textbox utrecht-textbox--html-input"
SELECT = "utrecht-select utrecht-select--html-select"
TEXTAREA = "utrecht-textarea utrecht-textarea--html-textarea"
CHECKBOX = "utrecht-checkbox utrecht-checkbox--html-input"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]
CHOICE_ERRORS = {
    "required": _("Maak een keuze."),
    "invalid_choice": _("Kies een waarde uit de lijst; %(value)s bestaat niet."),
}


def text_field(label, *, max_length=200, required=True, help_text=""):
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


def textarea_field(label, *, rows=3, required=False, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"class": TEXTAREA, "rows": rows}),
        error_messages={"required": _("Vul dit veld in.")},
    )


def select_field(label, choices=(), *, required=True, help_text=""):
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=required,
        help_text=help_text,
        widget=forms.Select(attrs={"class": SELECT}),
        error_messages=CHOICE_ERRORS,
    )


def date_field(label, *, required=False, help_text=""):
    """A native date field (works without JavaScript); ISO values in and out."""
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


class RefusalMixin:
    """Shows a refused write as form errors; ``fieldsets`` groups the fields on the page."""

    # (legend, field names) per group on the page.
    fieldsets: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def add_refusal(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                for message in messages:
                    self.add_error(name if name in self.fields else None, message)
            return
        for message in error.messages:
            self.add_error(None, message)

    def grouped_fields(self):
        """(legend, bound fields) per fieldset, for the template; a group whose fields this
        form does not have is left out."""
        groups = [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in self.fieldsets
        ]
        return [(legend, fields) for legend, fields in groups if fields]
