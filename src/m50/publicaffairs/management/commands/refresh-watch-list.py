"""``m50 refresh-watch-list``: lists new motions and Kamer debates matching the themes' watch
terms or committees, for public affairs to accept or dismiss (after a Tweede Kamer sync)."""

from django.utils.translation import gettext as _

from m50.core.commands import AuditedCommand
from m50.publicaffairs import records


class Command(AuditedCommand):
    # Plain strings: argparse cannot format lazy translations.
    help = (
        "Zet moties en komende Kameractiviteiten die passen bij de zoektermen of commissies "
        "van een themadossier op de signaleringslijst van public affairs. Een tweede run "
        "verandert niets; wat al is beoordeeld (ook afgewezen) of aan het thema gekoppeld, "
        "komt niet terug."
    )

    def handle(self, *args, verbosity=1, **options):
        result = records.watch_matches_refresh(actor=None)
        if verbosity >= 1:
            self.stdout.write(
                _("Nieuwe signaleringen: %(motions)d moties, %(activities)d Kameractiviteiten.")
                % {"motions": result.motions, "activities": result.activities}
            )
