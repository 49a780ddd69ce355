"""Token signing keys: Ed25519, private halves encrypted at rest, rotation without downtime.

The newest key that was not rotated out signs. A rotated-out key stays in the JWKS until
``retire_after`` (the access-token lifetime plus a margin), so tokens it signed keep verifying
until they expire. Each process caches the active key briefly and rereads it, so a rotation made
by the CLI reaches running replicas within ``signing_key_cache_seconds``.
"""

from __future__ import annotations

import base64
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import or_, select, update

from nilecare.kernel.crypto import Keyring
from nilecare.kernel.db.engine import Database
from nilecare.services.auth.models import SigningKey

ALGORITHM = "EdDSA"


@dataclass(frozen=True)
class ActiveKey:
    kid: str
    private_key: Ed25519PrivateKey

    def sign(self, claims: dict[str, Any]) -> str:
        return jwt.encode(
            claims, self.private_key, algorithm=ALGORITHM, headers={"kid": self.kid, "typ": "JWT"}
        )


def _associated_data(kid: str) -> bytes:
    return f"signing-key:{kid}".encode()


class SigningKeys:
    def __init__(
        self,
        db: Database,
        keyring: Keyring,
        *,
        clock: Callable[[], datetime],
        access_token_lifetime: timedelta,
        retire_margin: timedelta,
        cache_seconds: float,
    ) -> None:
        self.db = db
        self.keyring = keyring
        self.clock = clock
        self.access_token_lifetime = access_token_lifetime
        self.retire_margin = retire_margin
        self.cache_seconds = cache_seconds
        self._active: ActiveKey | None = None
        self._loaded_at = 0.0

    def _new_row(self, now: datetime) -> SigningKey:
        kid = f"{now:%Y%m%d}-{secrets.token_hex(6)}"
        private_key = Ed25519PrivateKey.generate()
        raw = private_key.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        public_jwk: dict[str, Any] = jwt.algorithms.OKPAlgorithm.to_jwk(
            private_key.public_key(), as_dict=True
        )
        public_jwk.update(kid=kid, alg=ALGORITHM, use="sig")
        return SigningKey(
            kid=kid,
            algorithm=ALGORITHM,
            public_jwk=json.dumps(public_jwk, sort_keys=True),
            private_key=self.keyring.encrypt(base64.b64encode(raw).decode(), _associated_data(kid)),
            created_at=now,
        )

    async def ensure_active(self) -> str:
        """The active key's id, creating a first key when there is none."""
        async with self.db.session() as session, session.begin():
            kid = await session.scalar(
                select(SigningKey.kid)
                .where(SigningKey.rotated_out_at.is_(None))
                .order_by(SigningKey.created_at.desc())
                .limit(1)
            )
            if kid is None:
                row = self._new_row(self.clock())
                session.add(row)
                kid = row.kid
        return kid

    async def rotate(self) -> str:
        """Make a new key active; the previous ones retire after the access-token lifetime."""
        now = self.clock()
        row = self._new_row(now)
        async with self.db.session() as session, session.begin():
            await session.execute(
                update(SigningKey)
                .where(SigningKey.rotated_out_at.is_(None))
                .values(
                    rotated_out_at=now,
                    retire_after=now + self.access_token_lifetime + self.retire_margin,
                )
            )
            session.add(row)
        self._active = None
        return row.kid

    async def active(self) -> ActiveKey:
        """The key that signs now (cached for ``cache_seconds``)."""
        if self._active is not None and time.monotonic() - self._loaded_at < self.cache_seconds:
            return self._active
        async with self.db.session() as session:
            row = await session.scalar(
                select(SigningKey)
                .where(SigningKey.rotated_out_at.is_(None))
                .order_by(SigningKey.created_at.desc())
                .limit(1)
            )
        if row is None:
            await self.ensure_active()
            return await self.active()
        raw = base64.b64decode(self.keyring.decrypt(row.private_key, _associated_data(row.kid)))
        self._active = ActiveKey(row.kid, Ed25519PrivateKey.from_private_bytes(raw))
        self._loaded_at = time.monotonic()
        return self._active

    async def jwks(self) -> dict[str, Any]:
        """Every key that may have signed a token still valid: the active ones and the retiring."""
        now = self.clock()
        async with self.db.session() as session:
            rows = await session.scalars(
                select(SigningKey.public_jwk)
                .where(or_(SigningKey.retire_after.is_(None), SigningKey.retire_after > now))
                .order_by(SigningKey.created_at.desc())
            )
            return {"keys": [json.loads(document) for document in rows]}
