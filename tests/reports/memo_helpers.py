"""Building dossiers and reading generated memos back, for the memo's tests."""

from __future__ import annotations

import datetime
import io

import docx
from pypdf import PdfReader

from m50.finance import services as finance_services
from m50.membership import services
from m50.membership.models import DecidingBody, DecisionKind
from m50.reports.memo.content import MemoInput
from tests.factories import MunicipalityFactory, PopulationCountFactory

D = datetime.date
GIVEN = MemoInput(
    datum=D(2024, 6, 4), portefeuillehouder="A. Wethouder", team="Bestuur", steller="B. Steller"
)


def record(membership, kind, body, decided, **extra):
    return services.decision_record(
        membership=membership, kind=kind, deciding_body=body, decided_on=decided, **extra
    )


def municipality(name: str, code: str, **kwargs):
    item = MunicipalityFactory(name=name, code=code, **kwargs)
    for year, count in ((2021, 29_500), (2022, 30_400), (2024, 31_200)):
        PopulationCountFactory(municipality=item, year=year, inhabitants=count, source="CBS")
    return item


def aspirant(membership, decided: datetime.date):
    return record(
        membership,
        DecisionKind.ASPIRANT,
        DecidingBody.COLLEGE,
        decided,
        mandated_body=DecidingBody.MAYOR,
    )


def aspirant_only(code="GM9001"):
    item = municipality("Aspirantdorp", code)
    aspirant(services.membership_for(municipality=item), D(2024, 1, 15))
    return item


def member_via_mandate(code="GM9002"):
    item = municipality("Mandaatstad", code)
    membership = services.membership_for(municipality=item)
    aspirant(membership, D(2022, 9, 1))
    record(
        membership,
        DecisionKind.DEFINITIVE,
        DecidingBody.MAYOR,
        D(2023, 6, 1),
        announced_on=D(2023, 6, 6),
    )
    return item


def direct_member(code="GM9003"):
    item = municipality("Directveen", code)
    membership = services.membership_for(municipality=item)
    record(membership, DecisionKind.DEFINITIVE, DecidingBody.COLLEGE, D(2023, 3, 1))
    return item


def terminated(code="GM9004"):
    item = municipality("Opzegdam", code)
    membership = services.membership_for(municipality=item)
    aspirant(membership, D(2021, 9, 1))
    record(membership, DecisionKind.DEFINITIVE, DecidingBody.COLLEGE, D(2022, 3, 1))
    record(membership, DecisionKind.TERMINATION, DecidingBody.COLLEGE, D(2023, 10, 1))
    return item


def successor(code="GM9005"):
    from m50.municipalities.models import BoundaryChange

    old = municipality("Oudgem", "GM9006", dissolved_on=D(2023, 1, 1))
    new = municipality("Nieuwgem", code, established_on=D(2023, 1, 1))
    BoundaryChange.objects.create(
        effective_on=D(2023, 1, 1), kind="merger_new_code", successor=new, predecessor=old
    )
    predecessor = services.membership_for(municipality=old)
    aspirant(predecessor, D(2021, 3, 1))
    record(predecessor, DecisionKind.DEFINITIVE, DecidingBody.COLLEGE, D(2021, 9, 1))
    record(
        services.membership_for(municipality=new),
        DecisionKind.SUCCESSION,
        DecidingBody.BOARD,
        D(2023, 1, 1),
        predecessor=predecessor,
    )
    return new


def fees():
    finance_services.fee_reference_load()


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def docx_fields(data: bytes) -> dict[str, str]:
    (table,) = docx.Document(io.BytesIO(data)).tables
    return {row.cells[0].text: row.cells[1].text for row in table.rows}


def pdf_text(data: bytes) -> str:
    pages = PdfReader(io.BytesIO(data)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)
