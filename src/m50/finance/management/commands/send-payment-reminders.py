"""Sends the payment reminders that are due. Idempotent; safe to run daily from cron."""

import datetime

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from m50.core.commands import AuditedCommand
from m50.finance.sending import payment_reminders_send


class Command(AuditedCommand):
    # Plain strings: argparse cannot format lazy translations.
    help = (
        "Stuurt voor elke te late factuur een betalingsherinnering: de eerste na de "
        "vervaldatum, een tweede 30 dagen later. Veilig om dagelijks te draaien: elke "
        "herinnering gaat één keer."
    )

    def add_arguments(self, parser):
        parser.add_argument("--datum", help="Doe alsof het deze datum is (JJJJ-MM-DD).")

    def handle(self, *args, datum=None, **options):
        try:
            today = datetime.date.fromisoformat(datum) if datum else timezone.localdate()
        except ValueError as exc:
            raise CommandError(
                _("Ongeldige datum: %(datum)s (verwacht JJJJ-MM-DD).") % {"datum": datum}
            ) from exc
        unaddressed: list[str] = []
        failed: list[tuple[str, str]] = []
        sent = payment_reminders_send(today=today, unaddressed=unaddressed, failed=failed)
        if unaddressed:
            self.stderr.write(
                _("Geen e-mailadres voor de herinnering van: %(numbers)s.")
                % {"numbers": ", ".join(unaddressed)}
            )
        for number, reason in failed:
            self.stderr.write(
                _("Niet verstuurd: %(number)s. %(reason)s") % {"number": number, "reason": reason}
            )
        if not sent:
            self.stdout.write(_("Geen betalingsherinneringen te versturen."))
        for reminder in sent:
            self.stdout.write(
                _("%(number)s (%(name)s): herinnering %(round)d aan %(to)s")
                % {
                    "number": reminder.number,
                    "name": reminder.municipality,
                    "round": reminder.round,
                    "to": ", ".join(reminder.recipients),
                }
            )
