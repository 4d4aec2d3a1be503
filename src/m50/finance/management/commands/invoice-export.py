"""Writes one invoice or credit note as PDF or UBL e-invoice to a file.

The file is written whole or not at all: into a temporary file beside it, then renamed over
it, so a reader (or a mail job picking up the folder) never sees half an invoice, and an
unknown number or an invoice that cannot be an e-invoice leaves no file behind.
"""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from m50.core.commands import AuditedCommand
from m50.core.files import file_write_atomically
from m50.finance import selectors
from m50.finance.pdf import invoice_pdf
from m50.finance.ubl import UblError, invoice_ubl

RENDERERS = {"pdf": invoice_pdf, "ubl": invoice_ubl}


class Command(AuditedCommand):
    # Plain strings: argparse cannot format lazy translations.
    help = (
        "Schrijft een factuur of creditnota als PDF of als UBL-e-factuur (Peppol BIS Billing "
        "3.0, EN 16931) naar een bestand."
    )

    def add_arguments(self, parser):
        parser.add_argument("number", help="Het factuurnummer, bijvoorbeeld 2024-0001.")
        parser.add_argument(
            "--format",
            required=True,
            choices=sorted(RENDERERS),
            dest="output_format",
            help="pdf, of ubl voor de e-factuur (XML).",
        )
        parser.add_argument("--output", required=True, type=Path, help="Het bestand.")

    def handle(self, *args, number, output_format, output: Path, **options):
        invoice = selectors.invoice_by_number(number=number.strip())
        if invoice is None:
            raise CommandError(_("Onbekend factuurnummer: %(number)s") % {"number": number})
        if output.is_dir():
            raise CommandError(_("%(path)s is een map, geen bestand.") % {"path": output})
        if not output.parent.is_dir():
            raise CommandError(_("De map %(path)s bestaat niet.") % {"path": output.parent})
        try:
            content = RENDERERS[output_format](invoice)
        except UblError as exc:
            raise CommandError(
                _("Geen e-factuur voor %(number)s: %(problems)s")
                % {"number": invoice.number, "problems": " ".join(exc.messages)}
            ) from exc
        try:
            file_write_atomically(path=output, content=content)
        except OSError as exc:
            raise CommandError(
                _("Kan %(path)s niet schrijven: %(error)s")
                % {"path": output, "error": exc.strerror or exc}
            ) from exc
        self.stdout.write(
            _("%(number)s geschreven naar %(path)s (%(size)d bytes).")
            % {"number": invoice.number, "path": output, "size": len(content)}
        )
