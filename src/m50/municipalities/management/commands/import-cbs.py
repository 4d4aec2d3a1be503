"""Imports a CBS population file in long format: a new year, or a correction of one.

The whole file is checked first; a file with any problem is refused with every problem and its
line number, and nothing is imported.
"""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from m50.core.commands import AuditedCommand
from m50.municipalities import services


class Command(AuditedCommand):
    # Plain strings: argparse cannot format lazy translations.
    help = (
        "Importeert een CBS-bestand met inwonertallen op 1 januari (lang formaat, zoals "
        "data/gemeenten/cbs_bevolking_1jan_gemeenten_2019_2024.csv): een nieuw jaar of een "
        "correctie."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Het CSV-bestand.")
        parser.add_argument(
            "--source",
            default=None,
            help=(
                "Bron die bij elk inwonertal wordt vastgelegd (standaard: uit de kolommen "
                "cbs_tabel en cbs_variabele)."
            ),
        )

    def handle(self, *args, file: Path, source=None, verbosity=1, **options):
        if not file.is_file():
            raise CommandError(_("Bestand niet gevonden: %(file)s") % {"file": file})
        try:
            report = services.population_import(file=file, source=source)
        except services.PopulationImportError as exc:
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
