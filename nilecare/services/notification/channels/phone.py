"""Phone numbers as SMS providers take them: E.164, with Sudanese local forms completed."""

from __future__ import annotations

import re

from nilecare.services.notification.channels.base import PermanentDeliveryError

SUDAN = "249"
_SEPARATORS = re.compile(r"[\s\-().]")
_E164 = re.compile(r"\+[1-9]\d{7,14}")
# A Sudanese national significant number: nine digits after the country code or trunk 0.
_SUDAN_NATIONAL = re.compile(r"[1-9]\d{8}")


def to_e164(number: str) -> str:
    """``0912345678``, ``912345678``, ``249912345678``, ``00249 91 234 5678`` all become
    ``+249912345678``; other countries' numbers must carry ``+`` or ``00``."""
    digits = _SEPARATORS.sub("", number)
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if not digits.startswith("+"):
        if len(digits) == 12 and digits.startswith(SUDAN):
            digits = digits[3:]
        elif len(digits) == 10 and digits.startswith("0"):
            digits = digits[1:]
        digits = "+" + SUDAN + digits
    sudanese_but_malformed = digits.startswith("+" + SUDAN) and not _SUDAN_NATIONAL.fullmatch(
        digits[4:]
    )
    if sudanese_but_malformed or not _E164.fullmatch(digits):
        raise PermanentDeliveryError(f"not a phone number: {mask_number(number)}")
    return digits


def mask_number(number: str) -> str:
    """Enough of a number to recognise in an error, not enough to identify the person."""
    return number[:5] + "****" + number[-3:] if len(number) > 8 else "****"
