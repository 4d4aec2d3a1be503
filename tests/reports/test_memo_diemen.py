"""Diemen's real dossier, from the shipped reference data: the generated memo states the facts
of the memo Diemen sent its council (issue 13)."""

import datetime

import pytest
from django.core.management import call_command

from m50.reports import selectors
from m50.reports.memo.content import MemoInput
from tests.reports.memo_helpers import docx_text, pdf_text

pytestmark = pytest.mark.django_db

GIVEN = MemoInput(
    datum=datetime.date(2023, 5, 30),
    portefeuillehouder="E. Boog",
    team="TBDA",
    steller="Jan Dick de Kort",
)


@pytest.fixture
def diemen_memo():
    call_command("load-reference-data", verbosity=0)
    content = selectors.council_memo(municipality_code="GM0384", given=GIVEN)
    docx_bytes, _type, _ext = selectors.council_memo_file(content=content, file_format="docx")
    pdf_bytes, _type, _ext = selectors.council_memo_file(content=content, file_format="pdf")
    return content, docx_text(docx_bytes), pdf_text(pdf_bytes)


FACTS = [
    "Informatie van de burgemeester",
    "Op 22 augustus 2022 besloot het college van B&W tot aspirant-lidmaatschap van het M50.",
    "de burgemeester gemandateerd om uiterlijk een jaar later, op 22 augustus 2023, te "
    "besluiten over definitief (betaald) lidmaatschap",
    "bekendgemaakt in de collegevergadering van 16 mei 2023",
    "De jaarlijkse contributie is € 5.000,00",
    "Geen contributie verschuldigd over 2022: het aspirant-lidmaatschap is kosteloos.",
    "Het M50 werkt met drie pijlers:",
    "Daarvoor waren het er vijf:",
    "Ja, datum: 22 augustus 2022",
    "30 mei 2023",
    "E. Boog",
    "TBDA",
    "Jan Dick de Kort",
]


def test_the_diemen_memo_states_the_facts_of_its_dossier(diemen_memo):
    content, in_docx, in_pdf = diemen_memo
    for text in (in_docx, in_pdf):
        for fact in FACTS:
            assert fact in text, fact
        for pillar in ("Ruimtelijk", "Sociaal", "Financieel"):
            assert pillar in text
        for former in ("Bestuur", "Economie & Fysieke Leefomgeving", "Samenleving", "Duurzaamheid"):
            assert former in text
        # The date field of Diemen's own memo read "Vul de datum ... in": never here.
        assert "Vul " not in text and "{{" not in text
    assert "16 mei 2023 (besluit van de burgemeester op grond van mandaat van het college)" in (
        in_docx
    )
    # Nothing was owed in 2022; 2023 is the first year owed.
    assert "Contributie verschuldigd over: 2023." in in_docx
    # The former pillars come after the current three.
    assert in_docx.index("Ruimtelijk") < in_docx.index("Duurzaamheid")
