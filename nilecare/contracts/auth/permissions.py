"""Permissions the auth service checks, and the audit permission every service's trail shares.

Strings follow ``<service>.<resource>.<action>``; the role -> permission map lives in the auth
service (``nilecare.services.auth.domain``).
"""

from __future__ import annotations

AUTH_USER_READ = "auth.user.read"
AUTH_USER_MANAGE = "auth.user.manage"
AUTH_ROLE_READ = "auth.role.read"
AUTH_ROLE_MANAGE = "auth.role.manage"
# One's own account: profile, sessions, password, MFA. Every role holds it, and it is all a
# token carries while a role that must use MFA has not enrolled yet.
AUTH_SELF = "auth.self.manage"
AUDIT_READ = "audit.event.read"

AUTH_PERMISSIONS = frozenset(
    {AUTH_USER_READ, AUTH_USER_MANAGE, AUTH_ROLE_READ, AUTH_ROLE_MANAGE, AUTH_SELF, AUDIT_READ}
)
