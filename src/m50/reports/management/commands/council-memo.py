"""Writes a municipality's council memo (*Informatie van de burgemeester*) as DOCX or PDF.

Refuses, before writing anything, with the list of what is missing; the file appears whole
or not at all (written beside it and moved into place).
"""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from m50.core.commands import AuditedCommand
from m50.core.files import file_write_atomically
from m50.municipalities.models import Municipality
from m50.reports import selectors
from m50.reports.memo.content import MemoInput, MemoRefused


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(
            _("Geen geldige datum: %(value)s (verwacht: JJJJ-MM-DD).") % {"value": value}
        ) from exc


class Command(AuditedCommand):
    # Plain strings: argparse cannot format lazy translations.
    help = (
        "Schrijft de raadsinformatiebrief 'Informatie van de burgemeester' over het "
        "lidmaatschap van het M50 voor een gemeente, als DOCX of PDF."
    )

    def add_arguments(self, parser):
        parser.add_argument("gemeente", help="CBS-code van de gemeente, bijvoorbeeld GM0384.")
        parser.add_argument("--datum", help="Datum van de collegevergadering (JJJJ-MM-DD).")
        parser.add_argument(
            "--portefeuillehouder",
            default="",
            help="Standaard: de burgemeester of wethouder met het M50 in de portefeuille.",
        )
        parser.add_argument("--team", default="")
        parser.add_argument("--steller", default="")
        parser.add_argument("--onderwerp", default="")
        parser.add_argument("--begrotingspost", default="")
        parser.add_argument("--van", help="Begin van de periode (standaard: eerste besluit).")
        parser.add_argument("--tot", help="Einde van de periode (standaard: --datum).")
        parser.add_argument("--format", choices=("docx", "pdf"), default="docx")
        parser.add_argument("--output", required=True, help="Het bestand dat wordt geschreven.")

    def handle(self, *args, **options):
        code = options["gemeente"].strip().upper()
        if not Municipality.objects.filter(code=code).exists():
            raise CommandError(_("Onbekende gemeente: %(code)s.") % {"code": code})
        output = Path(options["output"])
        if not output.parent.resolve().is_dir():
            raise CommandError(
                _("De map van het uitvoerbestand bestaat niet: %(dir)s") % {"dir": output.parent}
            )
        given = MemoInput(
            datum=_date(options["datum"]) if options["datum"] else None,
            portefeuillehouder=options["portefeuillehouder"],
            team=options["team"],
            steller=options["steller"],
            onderwerp=options["onderwerp"],
            begrotingspost=options["begrotingspost"],
        )
        start = _date(options["van"]) if options["van"] else None
        end = _date(options["tot"]) if options["tot"] else None
        try:
            content = selectors.council_memo(
                municipality_code=code, given=given, start=start, end=end
            )
        except MemoRefused as refused:
            self.stderr.write(_("De brief is niet gemaakt. Er ontbreekt:"))
            for item in refused.missing:
                self.stderr.write(f"  - {item}")
            raise CommandError(_("Vul aan wat ontbreekt en probeer het opnieuw.")) from refused
        data, _type, _extension = selectors.council_memo_file(
            content=content, file_format=options["format"]
        )
        file_write_atomically(path=output, content=data)
        if options["verbosity"] >= 1:
            self.stdout.write(_("Geschreven: %(path)s") % {"path": output})
