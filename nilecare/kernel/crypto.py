"""Field encryption (AES-256-GCM with key ids for rotation) and keyed hashes for search."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE_BYTES = 12


class DecryptionError(ValueError):
    """The ciphertext was tampered with, truncated, or made with an unknown key."""


@dataclass(frozen=True)
class Keyring:
    """AES-256-GCM keys by id; the first key encrypts, every key decrypts."""

    keys: dict[str, bytes]
    active_kid: str

    @classmethod
    def parse(cls, spec: str) -> Keyring:
        """Parse ``"kid:base64key,kid2:base64key"``."""
        keys: dict[str, bytes] = {}
        order: list[str] = []
        for item in filter(None, (part.strip() for part in spec.split(","))):
            kid, sep, encoded = item.partition(":")
            if not sep or not kid:
                raise ValueError("encryption keys are written as kid:base64key")
            key = base64.b64decode(encoded)
            if len(key) != 32:
                raise ValueError(f"encryption key {kid!r} must be 32 bytes (AES-256)")
            keys[kid] = key
            order.append(kid)
        if not order:
            raise ValueError("at least one encryption key is needed")
        return cls(keys=keys, active_kid=order[0])

    def encrypt(self, plaintext: str, associated_data: bytes = b"") -> str:
        """``kid.nonce.ciphertext`` in URL-safe base64; the key id lets old rows be read."""
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(self.keys[self.active_kid]).encrypt(
            nonce, plaintext.encode(), associated_data
        )
        return ".".join((self.active_kid, _b64(nonce), _b64(sealed)))

    def decrypt(self, token: str, associated_data: bytes = b"") -> str:
        try:
            kid, nonce, sealed = token.split(".")
            key = self.keys[kid]
            plain = AESGCM(key).decrypt(_unb64(nonce), _unb64(sealed), associated_data)
        except (ValueError, KeyError, TypeError) as exc:
            raise DecryptionError("cannot decrypt field") from exc
        except Exception as exc:  # cryptography raises InvalidTag
            raise DecryptionError("cannot decrypt field") from exc
        return plain.decode()

    def key_id_of(self, token: str) -> str:
        return token.split(".", 1)[0]


@dataclass(frozen=True)
class KeyedHasher:
    """HMAC-SHA256 so equal values can be found without storing them in clear."""

    key: bytes

    @classmethod
    def from_b64(cls, encoded: str) -> KeyedHasher:
        key = base64.b64decode(encoded)
        if len(key) < 32:
            raise ValueError("the HMAC key must be at least 32 bytes")
        return cls(key)

    def digest(self, value: str, purpose: str = "") -> str:
        message = f"{purpose}\x00{value}".encode()
        return hmac.new(self.key, message, hashlib.sha256).hexdigest()


def token_digest(token: str) -> str:
    """SHA-256 of a high-entropy token (refresh, reset): enough, as the token is random."""
    return hashlib.sha256(token.encode()).hexdigest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
