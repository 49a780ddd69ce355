"""VAPID keys: configured in any of the usual encodings, or generated once for development."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from nilecare.services.notification.channels.vapid import (
    VapidKey,
    b64url_decode,
    b64url_encode,
    development_vapid_key,
)


def test_the_development_key_is_generated_once_private_to_its_owner_and_reused(
    tmp_path: Path,
) -> None:
    first = development_vapid_key(tmp_path)
    second = development_vapid_key(tmp_path)

    path = tmp_path / "secrets" / "vapid-private-key.pem"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert first.application_server_key == second.application_server_key


def test_the_application_server_key_is_the_uncompressed_point_in_base64url() -> None:
    key = VapidKey(ec.generate_private_key(ec.SECP256R1()))
    point = b64url_decode(key.application_server_key)

    assert len(point) == 65 and point[0] == 4
    assert "=" not in key.application_server_key


def test_pem_raw_and_der_encodings_give_the_same_key() -> None:
    key = VapidKey(ec.generate_private_key(ec.SECP256R1()))
    raw = key.private_key.private_numbers().private_value.to_bytes(32, "big")
    der = key.private_key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )

    for encoded in (key.pem().decode(), b64url_encode(raw), b64url_encode(der)):
        assert VapidKey.parse(encoded).application_server_key == key.application_server_key


@pytest.mark.parametrize("text", ["not a key", b64url_encode(b"short")])
def test_text_that_is_not_a_key_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="VAPID"):
        VapidKey.parse(text)


def test_a_key_on_another_curve_or_algorithm_is_refused() -> None:
    for private_key in (
        ec.generate_private_key(ec.SECP384R1()),
        rsa.generate_private_key(public_exponent=65537, key_size=2048),
    ):
        pem = private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        with pytest.raises(ValueError, match="P-256"):
            VapidKey.parse(pem.decode())
