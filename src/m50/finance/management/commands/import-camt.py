"""Imports a CAMT.053 bank statement and matches its lines to invoices.

The whole file is checked first; a file with any problem, larger than M50_CAMT_MAX_UPLOAD_BYTES
or of an account that is not the network's own is refused with every problem and its line
number, and nothing is imported. Importing a statement a second time changes nothing.
"""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from m50.core.commands import AuditedCommand
from m50.finance import camt, payments


class Command(AuditedCommand):
    # Plain strings: argparse cannot format lazy translations.
    help = (
        "Leest een bankafschrift in CAMT.053-formaat (ISO 20022 XML) in en koppelt de "
        "bijschrijvingen aan facturen op factuurnummer en bedrag; wat niet past blijft over om "
        "met de hand te koppelen."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Het XML-bestand van de bank.")

    def handle(self, *args, file: Path, verbosity=1, **options):
        if not file.is_file():
            raise CommandError(_("Bestand niet gevonden: %(file)s") % {"file": file})
        refusal = payments.upload_refusal(file.stat().st_size)
        if refusal:
            raise CommandError(_("Niets geïmporteerd: %(reason)s") % {"reason": refusal})
        try:
            report = payments.bank_statement_import(file=file)
        except camt.CamtError as exc:
            for problem in exc.problems:
                self.stderr.write(f"{file.name}: {problem}")
            raise CommandError(
                ngettext(
                    "Niets geïmporteerd: %(count)d probleem gevonden in %(file)s.",
                    "Niets geïmporteerd: %(count)d problemen gevonden in %(file)s.",
                    len(exc.problems),
                )
                % {"count": len(exc.problems), "file": file.name}
            ) from exc
        if verbosity >= 1:
            self.stdout.write(report.summary())
        if verbosity >= 2:
            for result in report.results:
                if result.reason:
                    self.stdout.write(
                        _("regel %(line)d: niet gekoppeld: %(reason)s")
                        % {"line": result.source_line, "reason": result.reason}
                    )
                if result.review:
                    self.stdout.write(
                        _("regel %(line)d: te controleren: %(reason)s")
                        % {"line": result.source_line, "reason": result.review}
                    )
