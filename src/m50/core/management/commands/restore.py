"""``m50 restore FILE``: replaces the database's contents by a backup of ``m50 backup``.

A file that is not such a backup, or one of the other database engine, is refused and nothing
changes. Asks for confirmation unless ``--noinput``/``--yes``. After restoring it checks that
every model has as many rows as the backup recorded and that ``m50 check-derived`` is clean;
it exits with status 1 when either check finds a difference.
"""

from pathlib import Path

from django.core.management.base import CommandError
from django.db import connection
from django.utils.translation import gettext as _

from m50.core import backup
from m50.core.audit import audit_record_of
from m50.core.commands import AuditedCommand


class Command(AuditedCommand):
    # Plain strings: argparse cannot format lazy translations.
    help = (
        "Zet een back-up van m50 backup terug: vervangt alle gegevens in de database en "
        "controleert daarna de aantallen rijen en de afgeleide gegevens."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Het back-upbestand.")
        parser.add_argument(
            "--noinput",
            "--no-input",
            "--yes",
            action="store_false",
            dest="interactive",
            help="Niet om bevestiging vragen.",
        )

    def handle(self, *args, file: Path, interactive=True, verbosity=1, **options):
        try:
            manifest = backup.backup_manifest(path=file)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        if interactive:
            question = _(
                "Alle gegevens in database %(database)s worden vervangen door die van de "
                "back-up van %(created)s. Typ 'ja' om door te gaan: "
            ) % {
                "database": connection.settings_dict["NAME"],
                "created": backup.created_label(manifest),
            }
            if input(question).strip().lower() != "ja":
                raise CommandError(_("Niets teruggezet."))
        try:
            report = backup.backup_restore(path=file)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        for line in report.count_differences + report.derived:
            self.stderr.write(line)
        audit_record_of(
            action="backup.restore",
            object_type="core.Backup",
            object_id=file.name,
            object_repr=str(file.resolve()),
            changes={
                "back-up van": {"old": None, "new": manifest.get("created")},
                "afwijkende aantallen": {"old": None, "new": len(report.count_differences)},
                "afwijkende afgeleide gegevens": {"old": None, "new": len(report.derived)},
            },
        )
        if not report.clean:
            raise CommandError(
                _(
                    "Teruggezet, maar de controle vond %(counts)d afwijkende aantallen en "
                    "%(derived)d afwijkende afgeleide gegevens."
                )
                % {"counts": len(report.count_differences), "derived": len(report.derived)}
            )
        if verbosity >= 1:
            self.stdout.write(
                _(
                    "Back-up van %(created)s teruggezet; aantallen rijen en afgeleide gegevens "
                    "gecontroleerd."
                )
                % {"created": backup.created_label(manifest)}
            )
