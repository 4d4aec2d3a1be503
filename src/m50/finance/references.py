"""Payment references: the structured ISO 11649 creditor reference (``RF``) of an invoice, and
finding an invoice number where payers put it.

The reference is derived from the invoice number alone (``2026-0009`` gives
``RF09 2026 0009``), so it needs no column and is the same on the PDF, in the UBL and in the
bank statement; a draft without a number has none yet. The check digits and the validation
are python-stdnum's (``stdnum.iso11649``, ISO 7064 mod 97-10).
"""

from __future__ import annotations

import re

from stdnum import iso11649
from stdnum.iso7064 import mod_97_10

# 2026-0009: the number as printed; a fifth digit past 9,999 invoices in a year.
STRICT = re.compile(r"\b(20\d{2})-(\d{4,7})\b")
# How payers write it otherwise: 2026 0009, 2026/0009, 20260009 (exactly eight digits).
# Found only when the invoice exists; a longer run of digits (an account, a phone number) or a
# number glued to letters (an IBAN) is no match.
LOOSE = (
    re.compile(r"(?<![\w/.-])(20\d{2})[ /](\d{4})(?![\w/-])"),
    re.compile(r"(?<![\w/.-])(20\d{2})(\d{4})(?![\w/-])"),
)
_REFERENCE = re.compile(r"RF\d{2}[0-9A-Z ]{1,30}", re.IGNORECASE)
_BODY = re.compile(r"(20\d{2})(\d{4,7})")


def creditor_reference(number: str) -> str:
    """The RF creditor reference of invoice ``number``, compact (``RF0920260009``), or ""
    when the invoice has no number yet."""
    body = "".join(char for char in (number or "") if char.isalnum()).upper()
    if not body:
        return ""
    return f"RF{mod_97_10.calc_check_digits(body + 'RF')}{body}"


def creditor_reference_display(number: str) -> str:
    """The reference in groups of four, as printed: ``RF09 2026 0009``."""
    reference = creditor_reference(number)
    return iso11649.format(reference) if reference else ""


def number_from_reference(reference: str) -> str:
    """The invoice number an RF reference stands for, or "" when it is not a valid one of
    ours."""
    if not iso11649.is_valid(reference or ""):
        return ""
    match = _BODY.fullmatch(iso11649.compact(reference)[4:])
    return f"{match.group(1)}-{match.group(2)}" if match else ""


def references_in(text: str) -> list[str]:
    """The invoice numbers of the valid RF references in ``text``, in order."""
    numbers: dict[str, None] = {}
    for candidate in _REFERENCE.findall(text or ""):
        # Take the longest prefix that is valid: the reference may run into the next word.
        compact = candidate.replace(" ", "").upper()
        for end in range(len(compact), 4, -1):
            number = number_from_reference(compact[:end])
            if number:
                numbers[number] = None
                break
    return list(numbers)


def strict_numbers(text: str) -> list[str]:
    """The invoice numbers written as printed (``2026-0009``), in order."""
    numbers: dict[str, None] = {}
    for year, sequence in STRICT.findall(text or ""):
        numbers[f"{year}-{sequence}"] = None
    return list(numbers)


def loose_numbers(text: str) -> list[str]:
    """Invoice numbers as payers also write them (``2026 0009``, ``2026/0009``,
    ``20260009``): only candidates, to be used when such an invoice exists."""
    numbers: dict[str, None] = {}
    for pattern in LOOSE:
        for year, sequence in pattern.findall(text or ""):
            numbers[f"{year}-{sequence}"] = None
    return list(numbers)
