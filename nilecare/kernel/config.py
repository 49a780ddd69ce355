"""Settings loaded from the environment (prefix ``NILECARE_``, nested ``__``) and ``.env``.

Secrets that are missing or placeholders are refused outside development; development mode
generates its own and keeps them under the data directory so restarts reuse them.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Environment = Literal["development", "test", "production"]
EventBusKind = Literal["in-process", "kafka"]
TaskQueueKind = Literal["in-process", "rabbitmq"]

PLACEHOLDER_MARKERS = ("change", "placeholder", "example", "secret", "xxx", "todo")


class SecretsRefusedError(RuntimeError):
    """Raised when a production deployment starts with a missing or placeholder secret."""


def _looks_like_placeholder(value: str) -> bool:
    lowered = value.lower()
    return len(value) < 16 or any(marker in lowered for marker in PLACEHOLDER_MARKERS)


class PlatformSettings(BaseSettings):
    """Settings every process shares."""

    model_config = SettingsConfigDict(
        env_prefix="NILECARE_", env_nested_delimiter="__", env_file=".env", extra="ignore"
    )

    environment: Environment = "development"
    data_dir: Path = Path("var")
    # AES-256-GCM keys as "kid:base64key", comma separated; the first encrypts, all decrypt.
    encryption_keys: SecretStr | None = None
    # Key for keyed hashes (searchable encrypted fields) and the audit chain, base64.
    hmac_key: SecretStr | None = None
    redis_url: str | None = None
    # in-process (all-in-one) or kafka (any Kafka-protocol broker, for the distributed mode).
    event_bus: EventBusKind = "in-process"
    # host:port[,host:port...]; required when event_bus is kafka.
    kafka_bootstrap_servers: str = ""
    # Off only for a broker without idempotent producers (InitProducerId).
    kafka_idempotent: bool = True
    # How long a consumer's fetch may wait on the broker for records. Kafka answers as soon as
    # records arrive; a broker that answers only when the wait runs out (Tansu, about halfway)
    # delays every event by it, so there keep it short.
    kafka_fetch_max_wait_ms: int = Field(default=500, ge=1, le=30_000)
    # in-process (all-in-one) or rabbitmq (service processes enqueue, ``nilecare worker`` runs).
    task_queue: TaskQueueKind = "in-process"
    # amqp://user:password@host:port/vhost; required when task_queue is rabbitmq.
    rabbitmq_url: str = ""
    # Tasks of each queue one worker process runs at a time (the broker's prefetch).
    task_concurrency: int = Field(default=8, ge=1, le=256)
    jwt_issuer: str = "https://nilecare.local/auth"
    jwt_audience: str = "nilecare"
    access_token_minutes: int = Field(default=15, ge=1, le=60)
    log_level: str = "INFO"
    log_json: bool = True
    demo_password: SecretStr | None = None

    @property
    def is_development(self) -> bool:
        return self.environment != "production"

    @model_validator(mode="after")
    def _kafka_needs_brokers(self) -> PlatformSettings:
        if self.event_bus == "kafka" and not self.kafka_bootstrap_servers.strip():
            raise ValueError("NILECARE_KAFKA_BOOTSTRAP_SERVERS must be set when event_bus=kafka")
        return self

    @model_validator(mode="after")
    def _rabbitmq_needs_url(self) -> PlatformSettings:
        if self.task_queue == "rabbitmq" and not self.rabbitmq_url.strip():
            raise ValueError("NILECARE_RABBITMQ_URL must be set when task_queue=rabbitmq")
        return self

    @model_validator(mode="after")
    def _refuse_placeholder_secrets(self) -> PlatformSettings:
        if self.is_development:
            return self
        for name in ("encryption_keys", "hmac_key"):
            value: SecretStr | None = getattr(self, name)
            if value is None or not value.get_secret_value().strip():
                raise SecretsRefusedError(f"NILECARE_{name.upper()} must be set in production")
            raw = value.get_secret_value()
            parts = (
                [p.split(":", 1)[-1] for p in raw.split(",")]
                if name == "encryption_keys"
                else [raw]
            )
            if any(_looks_like_placeholder(p) for p in parts):
                raise SecretsRefusedError(f"NILECARE_{name.upper()} looks like a placeholder")
        return self


class ServiceSettings(BaseSettings):
    """Per-service settings; subclasses set ``env_prefix`` to ``NILECARE_<SVC>__``."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    # Empty means a SQLite file named after the service under the data directory.
    database_url: str = ""
    # Where the service answers when it runs in another process; empty means in-process.
    url: str = ""
    database_pool_size: int = Field(default=10, ge=1, le=200)


def service_settings_class(service: str) -> type[ServiceSettings]:
    """A settings class reading ``NILECARE_<SERVICE>__*``."""
    config = SettingsConfigDict(
        env_prefix=f"NILECARE_{service.upper()}__", env_file=".env", extra="ignore"
    )
    return type(f"{service.title()}Settings", (ServiceSettings,), {"model_config": config})


def generated_secrets(data_dir: Path) -> dict[str, str]:
    """Development secrets, created once and persisted (mode 0600) under ``data_dir``."""
    path = data_dir / "secrets" / "dev-secrets.json"
    if path.exists():
        loaded: dict[str, str] = json.loads(path.read_text())
        return loaded
    path.parent.mkdir(parents=True, exist_ok=True)
    values = {
        "encryption_keys": "dev1:" + base64.b64encode(secrets.token_bytes(32)).decode(),
        "hmac_key": base64.b64encode(secrets.token_bytes(32)).decode(),
    }
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(values, handle)
    return values


def resolve_secret(settings: PlatformSettings, name: Literal["encryption_keys", "hmac_key"]) -> str:
    """The configured secret, or in development the generated one."""
    value: SecretStr | None = getattr(settings, name)
    if value is not None and value.get_secret_value().strip():
        return value.get_secret_value()
    if not settings.is_development:
        raise SecretsRefusedError(f"NILECARE_{name.upper()} must be set in production")
    return generated_secrets(settings.data_dir)[name]
