"""Writes the network's annual report for a year as DOCX or PDF: the figures of the year page.

The file appears whole or not at all: written beside it and moved into place.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from m50.reports import annual


def write_atomically(path: Path, data: bytes) -> None:
    """``data`` to ``path`` via a temporary file in the same folder and a rename."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        # mkstemp makes the file private (0600); give it the mode a new file would get.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class Command(BaseCommand):
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
        write_atomically(output, data)
        if options["verbosity"] >= 1:
            self.stdout.write(_("Geschreven: %(path)s") % {"path": output})
