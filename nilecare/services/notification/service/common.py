"""What the use cases share: sealing of stored text (bound to its row and field, so a value
copied into another row does not decrypt) and the caller's scope."""

from __future__ import annotations

import json
import uuid
from typing import Any

from nilecare.kernel.auth.principal import Principal
from nilecare.kernel.crypto import Keyring
from nilecare.kernel.db.scope import FacilityScope
from nilecare.kernel.errors import NotFound
from nilecare.services.notification.settings import NotificationSettings


def _aad(row_id: uuid.UUID, field: str) -> bytes:
    return f"notification:{row_id}:{field}".encode()


def seal(keyring: Keyring, row_id: uuid.UUID, field: str, value: str) -> str:
    return keyring.encrypt(value, _aad(row_id, field))


def unseal(keyring: Keyring, row_id: uuid.UUID, field: str, token: str) -> str:
    return keyring.decrypt(token, _aad(row_id, field))


def seal_json(keyring: Keyring, row_id: uuid.UUID, field: str, value: Any) -> str:
    return seal(keyring, row_id, field, json.dumps(value, separators=(",", ":")))


def unseal_json(keyring: Keyring, row_id: uuid.UUID, field: str, token: str) -> Any:
    return json.loads(unseal(keyring, row_id, field, token))


def scope_of(principal: Principal) -> FacilityScope:
    return FacilityScope.of(principal)


def notification_not_found() -> NotFound:
    return NotFound("No such notification", slug="notification-not-found")


def notification_settings(settings: object) -> NotificationSettings:
    if not isinstance(settings, NotificationSettings):
        raise TypeError("the notification service needs NotificationSettings")
    return settings
