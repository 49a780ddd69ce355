"""The auth service: users, credentials, roles and permissions, sessions and refresh tokens,
TOTP MFA, login attempts (lockout) and the token signing keys.

It issues short-lived EdDSA access tokens that every service verifies locally against the JWKS
published at ``/api/v1/auth/jwks``, and rotating refresh tokens whose reuse revokes the session.
Publishes ``user.created`` and ``user.locked``.
"""
