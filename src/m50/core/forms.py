"""What every form of the platform does with a refused write (DESIGN.md §3: forms parse, the
services decide): the service's ValidationError is shown on the form, next to the field it is
about where there is one, and the fields can be grouped on the page."""

from __future__ import annotations

from django.core.exceptions import ValidationError


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
