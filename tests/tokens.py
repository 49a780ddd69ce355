"""A stand-in token issuer for tests of code that verifies tokens (not of the auth service)."""

from __future__ import annotations

import time
import uuid
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

ISSUER = "https://nilecare.local/auth"
AUDIENCE = "nilecare"


class Signer:
    def __init__(self, kid: str = "test-key") -> None:
        self.key = Ed25519PrivateKey.generate()
        self.kid = kid

    def jwks(self) -> dict[str, Any]:
        jwk = jwt.algorithms.OKPAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return {"keys": [{**jwk, "kid": self.kid, "alg": "EdDSA", "use": "sig"}]}

    async def fetch_jwks(self) -> dict[str, Any]:
        return self.jwks()

    def token(self, permissions: list[str], **claims: Any) -> str:
        now = int(time.time())
        body: dict[str, Any] = {
            "sub": str(uuid.uuid4()),
            "iss": ISSUER,
            "aud": AUDIENCE,
            "iat": now,
            "nbf": now,
            "exp": now + 300,
            "jti": uuid.uuid4().hex,
            "type": "access",
            "permissions": permissions,
            "roles": [],
            "facility_ids": [],
        }
        body.update(claims)
        return jwt.encode(body, self.key, algorithm="EdDSA", headers={"kid": self.kid})
