"""Service tokens: short-lived JWTs a service mints for itself to call other services' APIs.

A consumer or a task has no caller whose token it could forward, so it calls as its service. The
token is HS256 with a key derived (HKDF, fixed label) from the platform's shared HMAC key, which
every process already holds; the raw key is never used to sign. Its header's ``kid`` is
``service`` and the verifier routes on it: service tokens verify only with HS256 and this key, user
tokens only with the auth service's asymmetric keys, so neither can pass as the other.

The token carries the permissions the service's spec declares and every facility. The gateway
never accepts one: services take them only on their own port or in-process (``TokenVerifier``
refuses them unless asked to accept them).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from nilecare.kernel.auth.principal import Principal
from nilecare.kernel.errors import Unauthorized

SERVICE_KID = "service"
SERVICE_ALGORITHM = "HS256"
SERVICE_ROLE = "service"
TOKEN_TYPE = "service"  # noqa: S105 - a claim value, not a secret
_KEY_LABEL = b"nilecare service tokens v1"
# Service principals' user ids: stable per service name, never a person's.
_SERVICE_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://nilecare.sd/services")
_REQUIRED_CLAIMS = ["exp", "iat", "nbf", "iss", "aud", "sub", "jti", "type"]


def service_subject(service: str) -> str:
    return f"service:{service}"


def service_user_id(service: str) -> uuid.UUID:
    """The id a service's actions are recorded under (audit rows, event actors)."""
    return uuid.uuid5(_SERVICE_NAMESPACE, service_subject(service))


def _refused() -> Unauthorized:
    return Unauthorized("The service token is invalid or expired", slug="invalid-token")


@dataclass(frozen=True)
class ServiceTokenKey:
    """The signing key and the claims every service token must have."""

    secret: bytes
    issuer: str
    audience: str

    @classmethod
    def derive(cls, hmac_key: bytes, *, jwt_issuer: str, audience: str) -> ServiceTokenKey:
        hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_KEY_LABEL)
        return cls(hkdf.derive(hmac_key), f"{jwt_issuer.rstrip('/')}/services", audience)

    def encode(self, claims: dict[str, Any]) -> str:
        return jwt.encode(
            {**claims, "iss": self.issuer, "aud": self.audience},
            self.secret,
            algorithm=SERVICE_ALGORITHM,
            headers={"kid": SERVICE_KID},
        )

    def decode(self, token: str, *, leeway: int = 5) -> Principal:
        try:
            claims = jwt.decode(
                token,
                self.secret,
                algorithms=[SERVICE_ALGORITHM],
                audience=self.audience,
                issuer=self.issuer,
                leeway=leeway,
                options={"require": _REQUIRED_CLAIMS},
            )
        except jwt.PyJWTError as exc:
            raise _refused() from exc
        subject = str(claims["sub"])
        if claims["type"] != TOKEN_TYPE or not subject.startswith("service:"):
            raise _refused()
        service = subject.removeprefix("service:")
        permissions = claims.get("permissions", [])
        if not service or not isinstance(permissions, list):
            raise _refused()
        return Principal(
            user_id=service_user_id(service),
            email=None,
            roles=frozenset({SERVICE_ROLE}),
            permissions=frozenset(str(p) for p in permissions),
            facility_ids=frozenset(),
            all_facilities=True,
            session_id=None,
            token_id=str(claims["jti"]),
            expires_at=int(claims["exp"]),
            service=service,
        )


class ServiceTokenIssuer:
    """Mints each registered service's token, cached and renewed a minute before it expires."""

    def __init__(
        self,
        key: ServiceTokenKey,
        *,
        lifetime_seconds: int = 300,
        renew_before_seconds: int = 60,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.key = key
        self.lifetime = lifetime_seconds
        self.renew_before = renew_before_seconds
        self._clock = clock
        self._permissions: dict[str, frozenset[str]] = {}
        self._cached: dict[str, tuple[str, int]] = {}

    def register(self, service: str, permissions: frozenset[str]) -> None:
        self._permissions[service] = permissions
        self._cached.pop(service, None)

    def token_for(self, service: str) -> str:
        """The service's current token; ``LookupError`` for a service this process does not run."""
        permissions = self._permissions.get(service)
        if permissions is None:
            raise LookupError(f"the {service} service is not registered for service tokens")
        now = int(self._clock())
        cached = self._cached.get(service)
        if cached is not None and cached[1] - self.renew_before > now:
            return cached[0]
        expires = now + self.lifetime
        token = self.key.encode(
            {
                "sub": service_subject(service),
                "iat": now,
                "nbf": now,
                "exp": expires,
                "jti": uuid.uuid4().hex,
                "type": TOKEN_TYPE,
                "permissions": sorted(permissions),
            }
        )
        self._cached[service] = (token, expires)
        return token
