"""The council memo for each kind of dossier: every field filled, the facts right, the same
content in DOCX and PDF; refused with the list of what is missing, before generation."""

import dataclasses

import pytest

from m50.reports import selectors
from m50.reports.memo.content import MemoInput, MemoRefused
from tests.reports import memo_helpers as h
from tests.reports.memo_helpers import GIVEN, D

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def direct_entry(settings):
    # A direct member (definitive without an aspirant year) is one of the kinds of dossier.
    settings.M50_MEMBERSHIP_DIRECT_ENTRY = True


def generate(code, given=GIVEN, **period):
    content = selectors.council_memo(municipality_code=code, given=given, **period)
    word, _t, _e = selectors.council_memo_file(content=content, file_format="docx")
    pdf, _t, _e = selectors.council_memo_file(content=content, file_format="pdf")
    return content, word, pdf


def assert_complete(content, word, pdf):
    fields = h.docx_fields(word)
    assert list(fields) == ["Onderwerp", "Datum", "Portefeuillehouder", "Team", "Steller"]
    assert all(value.strip() for value in fields.values())
    assert fields["Datum"] == "4 juni 2024"
    text, in_pdf = h.docx_text(word), h.pdf_text(pdf)
    for section in content.sections:
        assert section.heading in text and section.heading in in_pdf
        for paragraph in section.paragraphs:
            assert paragraph in text
            assert " ".join(paragraph.split()) in in_pdf
    for text_ in (text, in_pdf):
        assert "Informatie van de burgemeester" in text_
        assert "{{" not in text_ and "Vul " not in text_


SAID = {
    "aspirant_only": [
        "Op 15 januari 2024 besloot het college van B&W tot aspirant-lidmaatschap",
        "op 15 januari 2025, te besluiten over definitief (betaald) lidmaatschap",
        "Op 4 juni 2024 is de gemeente aspirant-lid van het M50.",
        "Over definitief lidmaatschap moet uiterlijk 15 januari 2025 worden besloten.",
        "Geen contributie verschuldigd over 2024: het aspirant-lidmaatschap is kosteloos.",
        "Ja, datum: 15 januari 2024 (het college van B&W, aspirant-lidmaatschap).",
    ],
    "member_via_mandate": [
        "Op 1 juni 2023 besloot de burgemeester tot definitief (betaald) lidmaatschap, op grond "
        "van het mandaat van 1 september 2022.",
        "bekendgemaakt in de collegevergadering van 6 juni 2023",
        "Contributie verschuldigd over: 2023 en 2024.",
        "Geen contributie verschuldigd over 2022",
        "1 juni 2023 (besluit van de burgemeester op grond van mandaat van het college)",
    ],
    "direct_member": [
        "Op 1 maart 2023 besloot het college van B&W tot definitief (betaald) lidmaatschap.",
        "Contributie verschuldigd over: 2023 en 2024.",
        "Ja, datum: 1 maart 2023 (het college van B&W, definitief lidmaatschap).",
    ],
    "terminated": [
        "Op 1 oktober 2023 besloot het college van B&W het lidmaatschap op te zeggen; het "
        "eindigt met ingang van 1 januari 2024.",
        "Op 4 juni 2024 is de gemeente geen lid van het M50 (beëindigd).",
        "Contributie verschuldigd over: 2022 en 2023.",
    ],
    "successor": [
        "Met ingang van 1 januari 2023 zet de gemeente, na de herindeling, het lidmaatschap van "
        "Oudgem voort (vastgelegd door het bestuur van het M50 op 1 januari 2023).",
        "Op 4 juni 2024 is de gemeente lid van het M50.",
        "Contributie verschuldigd over: 2023 en 2024.",
        "Nee: in het platform is geen besluit van het college",
    ],
}


@pytest.mark.parametrize("kind", sorted(SAID))
def test_every_kind_of_dossier_gives_a_complete_memo_with_its_facts(kind):
    h.fees()
    item = getattr(h, kind)()
    content, word, pdf = generate(item.code)
    assert_complete(content, word, pdf)
    text = h.docx_text(word)
    for fact in SAID[kind]:
        assert fact in text, fact
    assert "De jaarlijkse contributie is € 5.000,00" in text
    # CBS figures, named as source: it grew into the band in 2022.
    assert "groeide in 2022 in de groep van middelgrote gemeenten" in text
    assert "30.400 inwoners (bron: CBS)" in text


def test_what_the_municipality_has_no_data_for_says_so():
    item = h.direct_member()
    content, word, _pdf = generate(item.code)
    text = h.docx_text(word)
    # Participation, activities attended and hosted, public affairs, knowledge, invoices,
    # and (no fee schedule loaded here) the contribution.
    assert text.count("nog niets vastgelegd") == 7
    assert "Contributieschema: nog niets vastgelegd." in text


def test_missing_input_is_refused_with_everything_missing():
    item = h.direct_member()
    with pytest.raises(MemoRefused) as refused:
        selectors.council_memo(municipality_code=item.code, given=MemoInput())
    assert refused.value.missing == [
        "de datum van de collegevergadering (Datum)",
        "de portefeuillehouder: het platform kent geen burgemeester of wethouder van de "
        "gemeente met dit onderwerp in de portefeuille",
        "het team",
        "de steller",
    ]


def test_a_field_with_a_control_character_is_refused_not_a_crash():
    item = h.direct_member()
    given = dataclasses.replace(GIVEN, team="TB\x01DA", steller="Jan\tde Kort")
    with pytest.raises(MemoRefused) as refused:
        selectors.council_memo(municipality_code=item.code, given=given)
    assert refused.value.missing == [
        "Team zonder onzichtbare stuurtekens (zoals een tab of regeleinde)",
        "Steller zonder onzichtbare stuurtekens (zoals een tab of regeleinde)",
    ]


def test_a_municipality_without_a_dossier_is_refused():
    item = h.municipality("Buitenstaand", "GM9010")
    with pytest.raises(MemoRefused) as refused:
        selectors.council_memo(municipality_code=item.code, given=GIVEN)
    assert refused.value.missing == ["een lidmaatschapsdossier van de gemeente bij het M50"]


def test_the_platform_names_the_portfolio_holder_from_the_positions():
    from tests.factories import OrganisationFactory, PositionFactory

    item = h.direct_member()
    organisation = OrganisationFactory(kind="gemeente", municipality=item)
    PositionFactory(organisation=organisation, function="burgemeester", start_date=D(2020, 1, 1))
    alderman = PositionFactory(
        organisation=organisation,
        function="wethouder",
        portfolio="Financiën, M50",
        start_date=D(2022, 6, 1),
    )
    given = MemoInput(datum=D(2024, 6, 4), team="Bestuur", steller="B. Steller")
    content, word, _pdf = generate(item.code, given)
    assert h.docx_fields(word)["Portefeuillehouder"] == alderman.person.full_name


def test_a_period_limits_the_decisions_and_the_activities():
    item = h.member_via_mandate()
    content, word, _pdf = generate(item.code, start=D(2022, 1, 1), end=D(2022, 12, 31))
    text = h.docx_text(word)
    assert "1 september 2022" in text and "1 juni 2023" not in text
    assert "van 1 januari 2022 tot en met 31 december 2022" in text


def test_the_command_writes_the_memo(tmp_path):
    from django.core.management import call_command

    item = h.member_via_mandate()
    output = tmp_path / "memo.docx"
    call_command(
        "council-memo",
        item.code,
        "--datum",
        "2024-06-04",
        "--portefeuillehouder",
        "E. Boog",
        "--team",
        "TBDA",
        "--steller",
        "Jan Dick de Kort",
        "--format",
        "docx",
        "--output",
        str(output),
        "--begrotingspost",
        "6.1 Bestuur",
        verbosity=0,
    )
    fields = h.docx_fields(output.read_bytes())
    assert (fields["Portefeuillehouder"], fields["Team"]) == ("E. Boog", "TBDA")
    assert "ten laste van begrotingspost 6.1 Bestuur" in h.docx_text(output.read_bytes())
    pdf = tmp_path / "memo.pdf"
    call_command(
        "council-memo",
        item.code.lower(),
        "--datum=2024-06-04",
        "--portefeuillehouder=E. Boog",
        "--team=TBDA",
        "--steller=Jan Dick de Kort",
        "--format=pdf",
        f"--output={pdf}",
        verbosity=0,
    )
    assert "E. Boog" in h.pdf_text(pdf.read_bytes())


def test_the_command_refuses_with_the_missing_list_and_writes_nothing(tmp_path, capsys):
    from django.core.management import CommandError, call_command

    item = h.member_via_mandate()
    output = tmp_path / "memo.pdf"
    with pytest.raises(CommandError):
        call_command("council-memo", item.code, "--team=TBDA", f"--output={output}")
    err = capsys.readouterr().err
    assert "de datum van de collegevergadering (Datum)" in err
    assert "de steller" in err and "het team" not in err
    assert list(tmp_path.iterdir()) == []
