"""Local verification of access tokens against the auth service's JWKS.

Only the algorithms of the allow-list are accepted, and the algorithm is taken from the key the
``kid`` names, never from the token's header; ``jku``, ``x5u`` and ``jwk`` headers are ignored.
Keys are cached and refetched when an unknown ``kid`` appears (at most once per cool-down, so junk
tokens cannot make us hammer the auth service).

A token whose ``kid`` is ``service`` is a service token (``service_tokens``): it verifies only as
HS256 with the derived service key, and only where the caller asks for it (``accept_service``); the
gateway's edge check does not, so a service token from outside is refused.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

import jwt
import structlog

from nilecare.kernel.auth.principal import Principal
from nilecare.kernel.auth.revocation import RevocationStore
from nilecare.kernel.auth.service_tokens import SERVICE_ALGORITHM, SERVICE_KID, ServiceTokenKey
from nilecare.kernel.errors import ServiceUnavailable, Unauthorized

ALLOWED_ALGORITHMS = frozenset({"EdDSA", "RS256"})
REQUIRED_CLAIMS = ["exp", "iat", "nbf", "iss", "aud", "sub", "jti", "type"]

JwksFetcher = Callable[[], Awaitable[dict[str, Any]]]

log = structlog.get_logger("nilecare.auth")


def invalid_token(detail: str = "The access token is invalid or expired") -> Unauthorized:
    return Unauthorized(detail, slug="invalid-token")


class TokenVerifier:
    def __init__(
        self,
        fetch_jwks: JwksFetcher,
        *,
        issuer: str,
        audience: str,
        revocations: RevocationStore,
        key_ttl: float = 600.0,
        refresh_cooldown: float = 10.0,
        cache_size: int = 10_000,
        leeway: int = 5,
        service_key: ServiceTokenKey | None = None,
    ) -> None:
        self._fetch = fetch_jwks
        self._service_key = service_key
        self.issuer = issuer
        self.audience = audience
        self.revocations = revocations
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at = 0.0
        self._key_ttl = key_ttl
        self._cooldown = refresh_cooldown
        self._lock = asyncio.Lock()
        self._verified: OrderedDict[str, Principal] = OrderedDict()
        self._cache_size = cache_size
        self._leeway = leeway

    async def _refresh(self, *, force: bool) -> None:
        async with self._lock:
            age = time.monotonic() - self._fetched_at
            if self._keys and (age < self._cooldown or (not force and age < self._key_ttl)):
                return
            try:
                document = await self._fetch()
            except Exception as exc:
                if self._keys:
                    log.warning("jwks_refresh_failed", error=type(exc).__name__)
                    return
                raise ServiceUnavailable("Signing keys cannot be loaded right now") from exc
            keys: dict[str, jwt.PyJWK] = {}
            for entry in document.get("keys", []):
                try:
                    key = jwt.PyJWK(entry)
                except jwt.PyJWKError:
                    continue
                if entry.get("kid") and key.algorithm_name in ALLOWED_ALGORITHMS:
                    keys[entry["kid"]] = key
            self._keys = keys
            self._fetched_at = time.monotonic()

    async def _key_for(self, kid: str) -> jwt.PyJWK:
        if time.monotonic() - self._fetched_at > self._key_ttl:
            await self._refresh(force=False)
        key = self._keys.get(kid)
        if key is None:
            await self._refresh(force=True)
            key = self._keys.get(kid)
        if key is None:
            raise invalid_token("The token was signed with an unknown key")
        return key

    async def verify(self, token: str, *, accept_service: bool = False) -> Principal:
        """The token's principal; a service token only with ``accept_service`` (services' own
        routes), never at the edge."""
        principal = self._verified.get(token)
        if principal is None or principal.expires_at <= time.time():
            principal = await self._decode(token)
            self._verified[token] = principal
            if len(self._verified) > self._cache_size:
                self._verified.popitem(last=False)
        if principal.service is not None and not accept_service:
            raise invalid_token("Service tokens are accepted only between services")
        if principal.session_id and await self.revocations.is_session_revoked(principal.session_id):
            raise invalid_token("The session of this token was revoked")
        return principal

    async def _decode(self, token: str) -> Principal:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise invalid_token() from exc
        kid = header.get("kid")
        if kid == SERVICE_KID:
            if self._service_key is None or header.get("alg") != SERVICE_ALGORITHM:
                raise invalid_token()
            return self._service_key.decode(token, leeway=self._leeway)
        # HS256 is not among them: a user token is never verified with a shared secret.
        if not isinstance(kid, str) or header.get("alg") not in ALLOWED_ALGORITHMS:
            raise invalid_token()
        key = await self._key_for(kid)
        if header["alg"] != key.algorithm_name:
            raise invalid_token()
        try:
            claims = jwt.decode(
                token,
                key.key,
                algorithms=[key.algorithm_name],
                audience=self.audience,
                issuer=self.issuer,
                leeway=self._leeway,
                options={"require": REQUIRED_CLAIMS},
            )
        except jwt.PyJWTError as exc:
            raise invalid_token() from exc
        if claims.get("type") != "access":
            raise invalid_token("Only access tokens are accepted here")
        return principal_from_claims(claims)


def principal_from_claims(claims: dict[str, Any]) -> Principal:
    try:
        return Principal(
            user_id=uuid.UUID(str(claims["sub"])),
            email=claims.get("email"),
            roles=frozenset(str(r) for r in claims.get("roles", [])),
            permissions=frozenset(str(p) for p in claims.get("permissions", [])),
            facility_ids=frozenset(uuid.UUID(str(f)) for f in claims.get("facility_ids", [])),
            all_facilities=bool(claims.get("all_facilities", False)),
            session_id=str(claims["sid"]) if claims.get("sid") else None,
            token_id=str(claims["jti"]),
            expires_at=int(claims["exp"]),
        )
    except (KeyError, ValueError, TypeError) as exc:
        raise invalid_token() from exc
