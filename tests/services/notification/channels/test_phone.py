"""Sudanese numbers in their local forms become E.164."""

from __future__ import annotations

import pytest

from nilecare.services.notification.channels.base import PermanentDeliveryError
from nilecare.services.notification.channels.phone import to_e164


@pytest.mark.parametrize(
    "written",
    [
        "0912345678",
        "912345678",
        "249912345678",
        "+249912345678",
        "00249 91 234 5678",
        "(091) 234-5678",
    ],
)
def test_sudanese_forms_become_e164(written: str) -> None:
    assert to_e164(written) == "+249912345678"


def test_other_countries_numbers_in_international_form_are_kept() -> None:
    assert to_e164("+44 20 7946 0958") == "+442079460958"
    assert to_e164("0020 2 2345 6789") == "+20223456789"


@pytest.mark.parametrize(
    "written", ["12345", "+2499123456", "+24991234567890", "091234567a", "", "+0123456789"]
)
def test_what_is_not_a_phone_number_is_a_permanent_failure_that_masks_it(written: str) -> None:
    with pytest.raises(PermanentDeliveryError) as failure:
        to_e164(written)
    assert len(written) < 9 or written not in str(failure.value)
