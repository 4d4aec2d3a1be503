"""``m50 check-derived``: recompute every projection from its source and report differences.

Exits with status 1 when a projection differs, so a scheduled run or a restore check fails
loudly; ``--repair`` rewrites the projections that differ from their source (audited).
"""

from django.core.management.base import CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from m50.core.audit import audit_record_of
from m50.core.commands import AuditedCommand
from m50.core.derived import projections


class Command(AuditedCommand):
    help = "Controleert of alle afgeleide gegevens gelijk zijn aan een herberekening uit de bron."

    def add_arguments(self, parser):
        parser.add_argument(
            "--repair",
            action="store_true",
            help=_("Herschrijf een afgeleide tabel die afwijkt vanuit de bron (geauditeerd)."),
        )

    def handle(self, *args, **options):
        total = 0
        for projection in projections():
            differences = list(projection.check())
            total += len(differences)
            for difference in differences:
                self.stdout.write(str(difference))
            if differences and options["repair"]:
                with transaction.atomic():
                    rows = projection.rebuild()
                    audit_record_of(
                        action="derived.repair",
                        object_type="core.Projection",
                        object_id=projection.name,
                        object_repr=projection.name,
                        changes={
                            "afwijkingen": {"old": len(differences), "new": 0},
                            "herschreven rijen": {"old": None, "new": rows},
                        },
                    )
                self.stdout.write(
                    _("%(name)s: hersteld (%(rows)d rijen herschreven).")
                    % {"name": projection.name, "rows": rows}
                )
            else:
                self.stdout.write(
                    _("%(name)s: %(count)d afwijkingen.")
                    % {"name": projection.name, "count": len(differences)}
                )
        if total and not options["repair"]:
            raise CommandError(
                ngettext(
                    "%(count)d afgeleid gegeven wijkt af van de bron.",
                    "%(count)d afgeleide gegevens wijken af van de bron.",
                    total,
                )
                % {"count": total}
            )
        self.stdout.write(self.style.SUCCESS(_("Afgeleide gegevens gecontroleerd.")))
