"""Loads the shipped reference data (CBS municipalities, population, mergers, networks,
organisations) and the reference membership dossier that rests on it.

Idempotent: `make run` runs it every time, and a run on current data changes nothing.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from m50.core.commands import AuditedCommand
from m50.core.models import Theme
from m50.core.reference import themes_load
from m50.finance import services as finance_services
from m50.membership import services as membership_services
from m50.municipalities import services
from m50.pillars import services as pillar_services


class Command(AuditedCommand):
    # Plain strings: argparse cannot format lazy translations.
    help = (
        "Laadt de meegeleverde referentiegegevens (CBS-gemeenten, inwonertallen, "
        "herindelingen, netwerken en organisaties). Een tweede keer verandert niets."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=None,
            help="Map met de gegevens (standaard: M50_DATA_DIR of <project>/data).",
        )

    def handle(self, *args, data_dir=None, verbosity=1, **options):
        data_dir = Path(data_dir or settings.DATA_DIR)
        if not data_dir.is_dir():
            raise CommandError(
                _("Map met referentiegegevens niet gevonden: %(dir)s") % {"dir": data_dir}
            )
        try:
            report = services.reference_data_load(data_dir=data_dir)
        except FileNotFoundError as exc:
            raise CommandError(
                _("Bestand met referentiegegevens ontbreekt: %(file)s") % {"file": exc.filename}
            ) from exc
        except services.ReferenceDataError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                _("De referentiegegevens zijn niet geladen: ze zijn niet consistent.")
            ) from exc
        membership_report = membership_services.membership_reference_load()
        if finance_services.fee_reference_load():
            membership_report.fees_created += 1
        # The pillars and themes come with the migrations; a database emptied since gets them
        # back here.
        pillars = pillar_services.pillars_reference_load()
        themes = themes_load(Theme)
        if verbosity >= 1:
            if membership_report.changed and not report.changed:
                self.stdout.write(_("Referentiegegevens geladen."))
            else:
                self.stdout.write(report.summary())
        if verbosity >= 2 or (verbosity >= 1 and report.changed):
            for line in report.lines():
                self.stdout.write(f"  {line}")
        if verbosity >= 2 or (verbosity >= 1 and membership_report.changed):
            for line in membership_report.lines():
                self.stdout.write(f"  {line}")
        if verbosity >= 1 and themes:
            self.stdout.write("  " + _("Thema's: %(count)d aangemaakt.") % {"count": themes})
        if verbosity >= 1 and (pillars.pillars or pillars.successions):
            self.stdout.write(
                "  "
                + _("Pijlers: %(pillars)d aangemaakt, %(successions)d opvolgingen.")
                % {"pillars": pillars.pillars, "successions": pillars.successions}
            )
