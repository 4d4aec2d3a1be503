"""Writes the network's annual report for a year as DOCX or PDF: the figures of the year page.

The file appears whole or not at all: written beside it and moved into place.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from m50.core.commands import AuditedCommand
from m50.core.files import file_write_atomically
from m50.reports import annual


class Command(AuditedCommand):
    # Plain strings: argparse cannot format lazy translations.
    help = "Schrijft het jaarverslag van het M50 over een jaar, als DOCX of PDF."

    def add_arguments(self, parser):
        parser.add_argument("jaar", type=int, help="Het jaar, bijvoorbeeld 2024.")
        parser.add_argument("--format", choices=annual.FORMATS, default="docx")
        parser.add_argument("--output", required=True, help="Het bestand dat wordt geschreven.")

    def handle(self, *args, **options):
        year = options["jaar"]
        today = timezone.localdate()
        first = settings.M50_NETWORK_FOUNDED.year
        if not first <= year <= today.year:
            raise CommandError(
                _("Geen jaar van het netwerk: %(year)s (van %(first)s tot en met %(last)s).")
                % {"year": year, "first": first, "last": today.year}
            )
        output = Path(options["output"]).resolve()
        if not output.parent.is_dir():
            raise CommandError(
                _("De map van het uitvoerbestand bestaat niet: %(dir)s") % {"dir": output.parent}
            )
        data, _type, _extension = annual.annual_report_file(
            year=year, file_format=options["format"], today=today
        )
        file_write_atomically(path=output, content=data)
        if options["verbosity"] >= 1:
            self.stdout.write(_("Geschreven: %(path)s") % {"path": output})
