"""``m50 check`` refuses seller details that cannot be right: they are on every invoice."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from m50.finance.checks import seller_details_check


def seller(**changes) -> dict:
    return {**settings.M50_SELLER, **changes}


def test_the_shipped_seller_details_pass():
    assert seller_details_check() == []


@pytest.mark.parametrize(
    ("changes", "code", "variable"),
    [
        ({"iban": "NL91ABNA0417164301"}, "m50.finance.E001", "M50_SELLER_IBAN"),
        ({"iban": ""}, "m50.finance.E001", "M50_SELLER_IBAN"),
        ({"bic": "ABNA"}, "m50.finance.E002", "M50_SELLER_BIC"),
        ({"vat_number": "NL123456789B02"}, "m50.finance.E003", "M50_SELLER_VAT"),
        ({"kvk": "1234567"}, "m50.finance.E004", "M50_SELLER_KVK"),
        ({"postal_code": "0123 AB"}, "m50.finance.E005", "M50_SELLER_POSTAL_CODE"),
    ],
)
def test_a_malformed_seller_detail_is_named(changes, code, variable):
    with override_settings(M50_SELLER=seller(**changes)):
        (error,) = seller_details_check()
    assert error.id == code and variable in error.msg


def test_valid_vat_number_and_spaced_iban_pass():
    details = seller(vat_number="NL004495445B01", iban="NL91 ABNA 0417 1643 00", bic="ABNANL2AXXX")
    with override_settings(M50_SELLER=details):
        assert seller_details_check() == []


def test_the_check_command_fails_on_them():
    with override_settings(M50_SELLER=seller(kvk="abc")), pytest.raises(SystemCheckError):
        call_command("check")
