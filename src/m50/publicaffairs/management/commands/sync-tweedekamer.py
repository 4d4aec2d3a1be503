"""``m50 sync-tweedekamer``: the Tweede Kamer's open data, from its API or (``--from-dir``)
from saved pages."""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from m50.core.commands import AuditedCommand
from m50.publicaffairs import services
from m50.publicaffairs.tweedekamer import online


class Command(AuditedCommand):
    # Plain strings: argparse cannot format lazy translations.
    help = (
        "Werkt Kamerleden, fracties, commissies, moties, besluiten, stemmingen en activiteiten "
        "bij uit de open data van de Tweede Kamer (Gegevensmagazijn, OData). Zonder --from-dir "
        "wordt de API gelezen: per entiteit alleen wat sinds de vorige keer is gewijzigd, pagina "
        "voor pagina (@odata.nextLink) met een pauze ertussen (M50_TWEEDEKAMER_REQUEST_DELAY); "
        "na een storing gaat de volgende run verder bij de pagina die niet lukte. Met --from-dir "
        "worden opgeslagen antwoorden van de API gelezen: elk *.json-bestand in de map, op "
        "naam, elk in een eigen transactie (een pagina is ten hoogste 250 records, dus een "
        "bestand tegelijk in het geheugen). De entiteit volgt uit @odata.context "
        "('...$metadata#Stemming(Besluit(...))'; uitgeklapte records worden meegenomen). Een "
        "bestand zonder die envelop (alleen de lijst 'value' of één record) wordt alleen "
        "gelezen als de bestandsnaam met de entiteit begint (zaak_moties.json, "
        "Stemming-2.json); anders wordt het met naam geweigerd. Een bestand dat niet te lezen "
        "is verandert niets; de rest gaat door, en de opdracht eindigt dan met status 1."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--from-dir",
            type=Path,
            dest="directory",
            help="Map met opgeslagen JSON-antwoorden van de API.",
        )
        parser.add_argument(
            "--entity",
            action="append",
            choices=online.ENTITY_NAMES,
            help="Alleen deze entiteit van de API (te herhalen); standaard alle.",
        )
        parser.add_argument(
            "--max-pages",
            type=int,
            help="Stop na zoveel pagina's van de API (de volgende run gaat verder).",
        )

    def handle(
        self, *args, directory: Path | None = None, entity=None, max_pages=None, verbosity=1, **o
    ):
        if directory is None:
            report = services.tweedekamer_online_sync(
                entities=tuple(entity) if entity else None, max_pages=max_pages
            )
        elif not directory.is_dir():
            raise CommandError(_("Map niet gevonden: %(dir)s") % {"dir": directory})
        else:
            report = services.tweedekamer_directory_sync(directory=directory)
        if verbosity >= 2:
            for page in report.pages:
                if page.note:
                    self.stdout.write(f"{page.name}: {page.note}")
        for page in report.failed:
            self.stderr.write(_("Mislukt, niets toegepast: %(error)s") % {"error": page.error})
        if verbosity >= 1:
            for line in report.lines():
                self.stdout.write(line)
        if report.failed:
            raise CommandError(
                _("%(count)d bestand(en) of pagina('s) niet toegepast.")
                % {"count": len(report.failed)},
                returncode=1,
            )
