"""``m50 rebuild-search-index``: rebuild the search index from every app's provider.

Rebuilds all entries in one transaction and reports the entries per kind and how the old index
differed; ``--check`` only reports the differences, writes nothing, and exits with status 1
when there are any (for a scheduled check, as ``check-derived`` does).
"""

from django.core.management.base import CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from m50.core.audit import audit_record_of
from m50.core.commands import AuditedCommand
from m50.core.search import index


class Command(AuditedCommand):
    help = "Bouwt de zoekindex opnieuw op uit de gegevens van elke app."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help=_("Meld alleen waar de zoekindex afwijkt; schrijf niets."),
        )

    def _line(self, report: index.KindReport) -> str:
        return _(
            "%(kind)s: %(entries)d regels; %(missing)d ontbraken, %(different)d weken af, "
            "%(extra)d waren overbodig."
        ) % {
            "kind": report.kind,
            "entries": report.entries,
            "missing": report.missing,
            "different": report.different,
            "extra": report.extra,
        }

    def handle(self, *args, **options):
        if options["check"]:
            reports = index.index_check()
            for report in reports:
                self.stdout.write(self._line(report))
            total = sum(report.differences for report in reports)
            if not index.index_documents_in_step():
                self.stdout.write(_("De volledige-tekstindex loopt niet gelijk met de regels."))
                total += 1
            if total:
                raise CommandError(
                    ngettext(
                        "De zoekindex wijkt op %(count)d punt af; "
                        "herstel met m50 rebuild-search-index.",
                        "De zoekindex wijkt op %(count)d punten af; "
                        "herstel met m50 rebuild-search-index.",
                        total,
                    )
                    % {"count": total}
                )
            self.stdout.write(self.style.SUCCESS(_("De zoekindex is in orde.")))
            return
        with transaction.atomic():
            reports = index.index_rebuild()
            audit_record_of(
                action="search.rebuild",
                object_type="core.SearchEntry",
                object_id="*",
                object_repr="zoekindex",
                changes={
                    "regels": {
                        "old": sum(r.entries - r.missing + r.extra for r in reports),
                        "new": sum(r.entries for r in reports),
                    },
                    "afwijkingen": {"old": sum(r.differences for r in reports), "new": 0},
                },
            )
        for report in reports:
            self.stdout.write(self._line(report))
        self.stdout.write(
            self.style.SUCCESS(
                _("Zoekindex opnieuw opgebouwd: %(count)d regels.")
                % {"count": sum(report.entries for report in reports)}
            )
        )
