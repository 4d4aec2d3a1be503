"""System checks of the seller's details: every invoice, PDF and e-invoice carries them, so a
mistyped IBAN or VAT number is reported by ``m50 check`` at start-up, not by a bank or a
municipality's accounts-payable department after the run."""

from __future__ import annotations

from django.conf import settings
from django.core import checks
from stdnum import bic, iban
from stdnum.nl import btw, postcode


def _error(key: str, value: str, expected: str, number: int) -> checks.Error:
    return checks.Error(
        f"M50_SELLER_{key} ({value!r}) is geen geldig {expected}.",
        hint=f"Zet M50_SELLER_{key} op de juiste waarde; die staat op elke factuur.",
        id=f"m50.finance.E{number:03d}",
    )


@checks.register("m50")
def seller_details_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    seller = settings.M50_SELLER
    errors = []
    if not iban.is_valid(seller.get("iban", "")):
        errors.append(_error("IBAN", seller.get("iban", ""), "IBAN-rekeningnummer", 1))
    if seller.get("bic") and not bic.is_valid(seller["bic"]):
        errors.append(_error("BIC", seller["bic"], "BIC", 2))
    if seller.get("vat_number") and not btw.is_valid(seller["vat_number"]):
        errors.append(_error("VAT", seller["vat_number"], "Nederlands btw-nummer", 3))
    kvk = seller.get("kvk", "")
    if not (kvk.isdigit() and len(kvk) == 8):
        errors.append(_error("KVK", kvk, "KvK-nummer van 8 cijfers", 4))
    if not postcode.is_valid(seller.get("postal_code", "")):
        errors.append(_error("POSTAL_CODE", seller.get("postal_code", ""), "postcode", 5))
    return errors
