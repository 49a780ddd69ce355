"""Settings refuse weak secrets outside development; field encryption and keyed hashes."""

from __future__ import annotations

import base64
import os
import stat
from pathlib import Path

import pytest

from nilecare.kernel.config import PlatformSettings, SecretsRefusedError, resolve_secret
from nilecare.kernel.crypto import DecryptionError, KeyedHasher, Keyring

STRONG_KEY = base64.b64encode(os.urandom(32)).decode()


def test_production_refuses_missing_secrets(tmp_path: Path) -> None:
    with pytest.raises(SecretsRefusedError):
        PlatformSettings(environment="production", data_dir=tmp_path)


@pytest.mark.parametrize("placeholder", ["change-me-please-now", "your-secret-here-xx", "short"])
def test_production_refuses_placeholder_secrets(tmp_path: Path, placeholder: str) -> None:
    with pytest.raises(SecretsRefusedError):
        PlatformSettings(
            environment="production",
            data_dir=tmp_path,
            encryption_keys=f"k1:{placeholder}",
            hmac_key=STRONG_KEY,
        )


def test_production_accepts_real_secrets(tmp_path: Path) -> None:
    settings = PlatformSettings(
        environment="production",
        data_dir=tmp_path,
        encryption_keys=f"k1:{STRONG_KEY}",
        hmac_key=STRONG_KEY,
    )
    assert resolve_secret(settings, "hmac_key") == STRONG_KEY


def test_development_generates_secrets_once_and_keeps_them_private(tmp_path: Path) -> None:
    settings = PlatformSettings(environment="development", data_dir=tmp_path)
    first = resolve_secret(settings, "encryption_keys")
    again = resolve_secret(
        PlatformSettings(environment="development", data_dir=tmp_path), "encryption_keys"
    )
    assert first == again
    Keyring.parse(first)  # a usable AES-256 key
    secrets_file = tmp_path / "secrets" / "dev-secrets.json"
    assert stat.S_IMODE(secrets_file.stat().st_mode) == 0o600


def test_settings_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("NILECARE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("NILECARE_ACCESS_TOKEN_MINUTES", "10")
    settings = PlatformSettings()
    assert settings.data_dir == tmp_path
    assert settings.access_token_minutes == 10


def test_encrypted_field_round_trips_and_names_its_key() -> None:
    keyring = Keyring.parse(f"k1:{STRONG_KEY}")
    sealed = keyring.encrypt("199012345678")
    assert "199012345678" not in sealed
    assert keyring.key_id_of(sealed) == "k1"
    assert keyring.decrypt(sealed) == "199012345678"


def test_rotation_keeps_old_rows_readable() -> None:
    old = Keyring.parse(f"k1:{STRONG_KEY}")
    sealed = old.encrypt("+249912345678")
    rotated = Keyring.parse(f"k2:{base64.b64encode(os.urandom(32)).decode()},k1:{STRONG_KEY}")
    assert rotated.decrypt(sealed) == "+249912345678"
    assert rotated.key_id_of(rotated.encrypt("x")) == "k2"


def test_tampered_ciphertext_is_refused() -> None:
    keyring = Keyring.parse(f"k1:{STRONG_KEY}")
    kid, nonce, body = keyring.encrypt("secret").split(".")
    flipped = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1]
    with pytest.raises(DecryptionError):
        keyring.decrypt(".".join((kid, nonce, flipped)))


def test_a_short_key_is_refused() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        Keyring.parse("k1:" + base64.b64encode(b"short").decode())


def test_keyed_hash_is_stable_and_depends_on_the_key_and_purpose() -> None:
    hasher = KeyedHasher.from_b64(STRONG_KEY)
    assert hasher.digest("0912345678", "phone") == hasher.digest("0912345678", "phone")
    assert hasher.digest("0912345678", "phone") != hasher.digest("0912345678", "national_id")
    other = KeyedHasher.from_b64(base64.b64encode(os.urandom(32)).decode())
    assert other.digest("0912345678", "phone") != hasher.digest("0912345678", "phone")
