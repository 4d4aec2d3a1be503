"""``m50 backup --output FILE``: a backup of the whole database, safe while the platform runs.

SQLite through its online backup API, PostgreSQL through ``pg_dump`` in its own format (with
``FILE.manifest.json`` beside it); see ``m50.core.backup``. Restore with ``m50 restore FILE``.
"""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from m50.core import backup
from m50.core.audit import audit_record_of
from m50.core.commands import AuditedCommand


class Command(AuditedCommand):
    # Plain strings: argparse cannot format lazy translations.
    help = (
        "Maakt een back-up van de hele database (SQLite: online back-up; PostgreSQL: pg_dump "
        "in eigen formaat, met FILE.manifest.json ernaast). Veilig terwijl het platform draait."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, required=True, help="Het back-upbestand.")

    def handle(self, *args, output: Path, verbosity=1, **options):
        try:
            manifest = backup.backup_create(output=output)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["counts"].values())
        audit_record_of(
            action="backup.create",
            object_type="core.Backup",
            object_id=output.name,
            object_repr=str(output.resolve()),
            changes={"rijen": {"old": None, "new": rows}},
        )
        if verbosity >= 1:
            self.stdout.write(
                _("Back-up geschreven naar %(file)s: %(rows)d rijen in %(models)d tabellen.")
                % {"file": output, "rows": rows, "models": len(manifest["counts"])}
            )
