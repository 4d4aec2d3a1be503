"""Sends the mandate-deadline reminders that are due. Idempotent; safe to run daily from cron."""

import datetime

from django.core.management.base import CommandError
from django.utils import timezone

from m50.core.commands import AuditedCommand
from m50.membership.reminders import mandate_reminders_send


class Command(AuditedCommand):
    help = (
        "Stuurt de contactpersoon van een aspirant-lid een herinnering 60, 30 en 7 dagen voor "
        "het einde van het mandaat. Veilig om dagelijks te draaien: elke herinnering gaat één keer."
    )

    def add_arguments(self, parser):
        parser.add_argument("--datum", help="Doe alsof het deze datum is (JJJJ-MM-DD).")

    def handle(self, *args, datum=None, **options):
        try:
            today = datetime.date.fromisoformat(datum) if datum else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"Ongeldige datum: {datum!r} (verwacht JJJJ-MM-DD).") from exc
        sent = mandate_reminders_send(today=today)
        if not sent:
            self.stdout.write("Geen herinneringen te versturen.")
        for reminder in sent:
            self.stdout.write(
                f"{reminder.municipality}: herinnering {reminder.days_before} dagen "
                f"(nog {reminder.days_left}) aan {', '.join(reminder.recipients)}, "
                + (
                    f"met {reminder.attachment}"
                    if reminder.attachment
                    else "zonder waarderapport (zie het log)"
                )
            )
