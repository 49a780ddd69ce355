"""VAPID (RFC 8292): the P-256 key that signs our Web Push requests. Browsers subscribe with its
public half (the application server key), so changing it orphans every subscription.

A configured key is PEM, or URL-safe base64 of the raw 32-byte private scalar (what
``web-push generate-vapid-keys`` prints) or of its DER encoding. Development generates one
under the data directory (mode 0600) and keeps it.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class VapidKey:
    private_key: ec.EllipticCurvePrivateKey

    @classmethod
    def parse(cls, text: str) -> VapidKey:
        text = text.strip()
        try:
            if text.startswith("-----BEGIN"):
                key = serialization.load_pem_private_key(text.encode(), password=None)
            else:
                raw = b64url_decode("".join(text.split()))
                key = (
                    ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())
                    if len(raw) == 32
                    else serialization.load_der_private_key(raw, password=None)
                )
        except (ValueError, TypeError, binascii.Error) as exc:
            raise ValueError("the VAPID private key is neither PEM nor base64url") from exc
        if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
            raise ValueError("a VAPID key is an EC P-256 key")
        return cls(key)

    @property
    def application_server_key(self) -> str:
        """The public key as ``pushManager.subscribe`` takes it: URL-safe base64 of the
        uncompressed point."""
        point = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return b64url_encode(point)

    def pem(self) -> bytes:
        return self.private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )


def development_vapid_key(data_dir: Path) -> VapidKey:
    """The key generated on first use and kept in ``secrets/vapid-private-key.pem``."""
    path = data_dir / "secrets" / "vapid-private-key.pem"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key = VapidKey(ec.generate_private_key(ec.SECP256R1()))
        # Another process starting at the same moment may have written it first: use theirs.
        with contextlib.suppress(FileExistsError):
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(key.pem())
    return VapidKey.parse(path.read_text())
