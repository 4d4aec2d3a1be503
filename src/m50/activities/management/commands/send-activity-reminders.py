"""Sends the reminders before activities that are due. Idempotent; safe to run every hour."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from m50.activities.services._common import long_moment
from m50.activities.services.reminders import reminders_send
from m50.core.commands import AuditedCommand


class Command(AuditedCommand):
    # Plain strings: argparse cannot format lazy translations.
    help = (
        "Stuurt wie een plaats heeft bij een activiteit een herinnering, zoveel dagen vooraf "
        "als M50_ACTIVITY_REMINDER_DAYS zegt (standaard 7 en 1). Veilig om elk uur te draaien: "
        "elke herinnering gaat één keer."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Laat zien wat er verstuurd zou worden, zonder iets te versturen of vast te "
            "leggen.",
        )

    def handle(self, *args, dry_run=False, **options):
        report = reminders_send(now=timezone.now(), dry_run=dry_run)
        for reminder in report.sent:
            self.stdout.write(
                _("%(person)s <%(address)s>: %(activity)s (%(moment)s), %(days)s dagen vooraf")
                % {
                    "person": reminder.person,
                    "address": reminder.address,
                    "activity": reminder.activity,
                    "moment": long_moment(reminder.starts_at),
                    "days": reminder.days_before,
                }
            )
        if report.unaddressed:
            self.stderr.write(
                _("Geen e-mailadres voor: %(names)s.") % {"names": ", ".join(report.unaddressed)}
            )
        for name, reason in report.failed:
            self.stderr.write(
                _("Niet verstuurd aan %(name)s (%(reason)s); de volgende keer opnieuw.")
                % {"name": name, "reason": reason}
            )
        days = ", ".join(str(d) for d in settings.M50_ACTIVITY_REMINDER_DAYS)
        count = len(report.sent)
        if dry_run:
            summary = ngettext(
                "Proefdraaien: %(count)d herinnering zou verstuurd worden.",
                "Proefdraaien: %(count)d herinneringen zouden verstuurd worden.",
                count,
            )
        else:
            summary = ngettext(
                "%(count)d herinnering verstuurd.", "%(count)d herinneringen verstuurd.", count
            )
        self.stdout.write(
            (summary % {"count": count})
            + " "
            + _("Herinneringen gaan %(days)s dagen vooraf.") % {"days": days}
        )
