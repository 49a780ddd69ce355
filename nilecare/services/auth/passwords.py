"""Password hashing with argon2id, off the event loop, and the policy check with its word list."""

from __future__ import annotations

import asyncio
import functools
import secrets
from importlib import resources

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from nilecare.kernel.errors import ValidationFailed
from nilecare.services.auth.domain import password_problems
from nilecare.services.auth.settings import AuthSettings


@functools.cache
def common_passwords() -> frozenset[str]:
    """The bundled list, read once on first use."""
    text = resources.files("nilecare.services.auth.data").joinpath("common-passwords.txt")
    lines = text.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line and not line.startswith("#"))


def check_password_policy(
    password: str, *, email: str, full_name: str | None = None, field: str = "password"
) -> None:
    """Raise a 422 problem naming ``field`` with every rule the password breaks."""
    problems = password_problems(
        password, email=email, full_name=full_name, common=common_passwords()
    )
    if problems:
        raise ValidationFailed(
            f"{field}: " + "; ".join(problems),
            errors=[{"field": field, "message": message} for message in problems],
        )


class Passwords:
    """argon2id hashes; verification of unknown accounts runs against a dummy hash so that an
    unknown e-mail costs as much time as a wrong password."""

    def __init__(self, settings: AuthSettings) -> None:
        self.hasher = PasswordHasher(
            time_cost=settings.argon2_time_cost,
            memory_cost=settings.argon2_memory_cost,
            parallelism=settings.argon2_parallelism,
            type=Type.ID,
        )
        # Made once at start-up, so even the first unknown e-mail takes the usual time.
        self._dummy_hash = self.hasher.hash(secrets.token_urlsafe(24))

    async def hash(self, password: str) -> str:
        return await asyncio.to_thread(self.hasher.hash, password)

    async def verify(self, password_hash: str | None, password: str) -> bool:
        """True when ``password`` matches; a missing hash is checked against the dummy one."""
        if password_hash is None:
            await asyncio.to_thread(self._verify, self._dummy_hash, password)
            return False
        return await asyncio.to_thread(self._verify, password_hash, password)

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self.hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        """True when the hash was made with other parameters than the configured ones."""
        try:
            return self.hasher.check_needs_rehash(password_hash)
        except InvalidHashError:
            return True
