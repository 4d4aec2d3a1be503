"""Payment references: the ISO 11649 RF creditor reference of an invoice, and finding invoice
numbers where payers write them (without taking an account or a phone number for one)."""

from __future__ import annotations

import pytest
from stdnum import iso11649

from m50.finance import payments, references


@pytest.mark.parametrize("number", ["2024-0001", "2026-0009", "2026-12345", "2031-9999999"])
def test_the_reference_is_a_valid_rf_reference_derived_from_the_number_alone(number):
    reference = references.creditor_reference(number)

    assert iso11649.is_valid(reference)
    assert reference.startswith("RF") and reference.endswith(number.replace("-", ""))
    assert references.number_from_reference(reference) == number
    assert references.creditor_reference(number) == reference  # the same every time


def test_the_printed_form_is_in_groups_of_four():
    assert references.creditor_reference("2024-0001") == "RF3220240001"
    assert references.creditor_reference_display("2024-0001") == "RF32 2024 0001"


def test_a_draft_without_a_number_has_no_reference():
    assert references.creditor_reference("") == ""
    assert references.creditor_reference_display("") == ""


@pytest.mark.parametrize(
    "reference", ["RF3320240001", "RF32 2024 0001 X", "RF18539007547034", "RF32", "", "2024-0001"]
)
def test_a_wrong_or_foreign_reference_names_no_invoice(reference):
    # A wrong check digit, text glued on, a valid RF reference of another creditor.
    assert references.number_from_reference(reference) == ""


def test_references_are_found_in_free_text_with_or_without_spaces_and_in_any_case():
    text = "Betaling RF32 2024 0001 contributie, en rf3220240001; ook RF3320240001 (fout)"
    assert references.references_in(text) == ["2024-0001"]
    assert references.references_in("kenmerk RF32 2024 0001Contributie") == ["2024-0001"]


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("Factuur 2026 0009 contributie", ["2026-0009"]),
        ("Factuur 2026/0009", ["2026-0009"]),
        ("factuurnr 20260009.", ["2026-0009"]),
        ("20260009 en 2026 0010", ["2026-0010", "2026-0009"]),
    ],
)
def test_the_ways_payers_write_a_number(text, numbers):
    assert sorted(references.loose_numbers(text)) == sorted(numbers)


@pytest.mark.parametrize(
    "text",
    [
        "NL91ABNA0417164300",  # an IBAN: digits glued to letters
        "rekening NL20INGB0001234567 ",
        "1202600091",  # a longer run of digits
        "tel 06-20260009",  # a phone number
        "kvk 202600091",
        "2026/03/15",  # a date
        "2026-03-15",
        "bedrag 2026,0009",
        "ordernummer 2026 00091",
    ],
)
def test_no_invoice_number_in_accounts_phone_numbers_dates_and_long_numbers(text):
    assert references.loose_numbers(text) == []
    assert references.strict_numbers(text) == []


def test_a_number_split_over_two_remittance_lines_is_found_and_the_lines_joined():
    found = payments.candidates(remittance_lines=["Contributie M50 factuur 2024-00", "01 dank"])
    assert found.loose == ("2024-0001",) and found.strict == ()
    found = payments.candidates(remittance_lines=["Factuur", "2024-0001"])
    assert found.strict == ("2024-0001",)


def test_candidates_put_rf_first_then_numbers_as_printed_then_the_looser_forms():
    found = payments.candidates(
        remittance_lines=["2024 0003 en 2024-0002"],
        structured=["RF3220240001"],
        additional_info="zie 2024/0004",
    )
    assert found.rf == ("2024-0001",)
    assert found.strict == ("2024-0002",)
    assert set(found.loose) == {"2024-0003", "2024-0004"}
    assert found.all[0] == "2024-0001"
