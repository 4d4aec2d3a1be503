"""The base of every management command that changes data: audited as its operator's work."""

from __future__ import annotations

import getpass

from django.core.management.base import BaseCommand, CommandError

from m50.core.audit import command_line


def os_user() -> str:
    """The operating-system user running the command, or "onbekend" when it has no name."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no LOGNAME/USER and no password-database entry (containers)
        return "onbekend"


class AuditedCommand(BaseCommand):
    """A command whose changes are audited with the operator and the origin "opdrachtregel".

    The operator is the OS user, or the name given with ``--operator`` (for a cron job or a
    shared service account, the person responsible).
    """

    def create_parser(self, prog_name, subcommand, **kwargs):
        # Added here, not in add_arguments, so that subclasses need not call super() there.
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.add_argument(
            "--operator",
            help="Wie de opdracht geeft, voor de audittrail (standaard de gebruiker van het "
            "besturingssysteem).",
        )
        return parser

    @property
    def command_name(self) -> str:
        return type(self).__module__.rsplit(".", 1)[-1]

    def execute(self, *args, **options):
        operator = (options.get("operator") or "").strip()
        if options.get("operator") is not None and not operator:
            raise CommandError("--operator mag niet leeg zijn.")
        if len(operator) > 150:
            raise CommandError("--operator is te lang (ten hoogste 150 tekens).")
        with command_line(operator=operator or os_user(), command=self.command_name):
            return super().execute(*args, **options)
