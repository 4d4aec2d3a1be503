"""Creates the year's contribution invoices that do not exist yet. Idempotent: safe to run
again, from cron or by hand; a second run creates nothing."""

import datetime

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from m50.core.commands import AuditedCommand
from m50.finance import services
from m50.finance.models import DEFAULT_CATEGORY, Fee


class Command(AuditedCommand):
    # Plain strings: argparse cannot format lazy translations.
    help = (
        "Maakt de contributiefacturen van een jaar aan, als concept, voor elk lidmaatschap dat "
        "dat jaar verschuldigd is en nog geen factuur heeft. Veilig om opnieuw te draaien."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="Het contributiejaar.")
        parser.add_argument(
            "--datum", help="Factuurdatum van de concepten (JJJJ-MM-DD); standaard vandaag."
        )

    def handle(self, *args, year: int, datum=None, **options):
        try:
            issue_date = datetime.date.fromisoformat(datum) if datum else timezone.localdate()
        except ValueError as exc:
            raise CommandError(
                _("Ongeldige datum: %(datum)s (verwacht JJJJ-MM-DD).") % {"datum": datum}
            ) from exc
        if not 2000 <= year <= 2100:
            raise CommandError(_("Ongeldig jaar: %(year)d.") % {"year": year})
        created = services.invoice_run(year=year, issue_date=issue_date)
        if created:
            self.stdout.write(
                ngettext(
                    "%(count)d factuur aangemaakt als concept; zij krijgt haar nummer bij het "
                    "versturen.",
                    "%(count)d facturen aangemaakt als concept; zij krijgen hun nummer bij het "
                    "versturen.",
                    len(created),
                )
                % {"count": len(created)}
            )
        elif not Fee.objects.filter(category=DEFAULT_CATEGORY, valid_from_year__lte=year).exists():
            self.stdout.write(
                _("Niets te doen: er is geen contributie vastgesteld voor %(year)d.")
                % {"year": year}
            )
        else:
            self.stdout.write(
                _("Niets te doen: alle facturen voor %(year)d bestaan al.") % {"year": year}
            )
