"""Gateway settings, from ``NILECARE_GATEWAY__*`` environment variables (and ``.env``).

Lists accept JSON (``["https://a.example", "https://b.example"]``) or comma-separated values.
"""

from __future__ import annotations

import ipaddress
import json
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

MIB = 1024 * 1024

StringList = Annotated[list[str], NoDecode]


def _split_list(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            return json.loads(text)
        return [item.strip() for item in text.split(",") if item.strip()]
    return value


class GatewaySettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="NILECARE_GATEWAY__", env_file=".env", extra="ignore"
    )

    # Browser origins allowed to call the API cross-origin (the web app served by the gateway
    # itself is same-origin and needs none). Empty: no CORS headers at all.
    cors_origins: StringList = Field(default_factory=list)
    # Allow cookies on cross-origin calls; refused together with the "*" origin.
    cors_allow_credentials: bool = False

    # Largest request body accepted, checked against Content-Length and counted for chunked ones.
    max_body_bytes: int = Field(default=10 * MIB, ge=1)

    # How long an upstream may take to start answering (and, remote, between two reads).
    upstream_timeout_seconds: float = Field(default=30.0, gt=0)
    # Pooled connections to remote upstreams, shared by all of them.
    upstream_max_connections: int = Field(default=200, ge=1)

    # Sliding one-minute windows. Many staff can share one hospital NAT address, so the per-IP
    # limit is generous; the per-user one is the real bound for API use.
    ip_requests_per_minute: int = Field(default=3000, ge=1)
    user_requests_per_minute: int = Field(default=600, ge=1)
    # Stricter per-IP limit for POSTs to the credential endpoints below and their sub-paths
    # (password guessing, reset-token guessing). Sized for a shift change behind one NAT address.
    login_requests_per_minute: int = Field(default=30, ge=1)
    login_paths: StringList = Field(
        default_factory=lambda: ["/api/v1/auth/login", "/api/v1/auth/password-reset"]
    )
    # Prefix of the Redis keys holding the counters (tests give each run its own).
    rate_limit_key_prefix: str = "nilecare:gateway:ratelimit:"

    # Proxies (IP addresses or networks) whose X-Forwarded-For / X-Forwarded-Proto are believed.
    # Empty (the default): the TCP peer is the client, whatever the headers say.
    trusted_proxies: StringList = Field(default_factory=list)

    # The built web app (``npm run build`` in web/) served at ``/``, relative to the working
    # directory; when it holds no index.html the gateway serves the API alone.
    web_dir: Path = Path("web/dist")

    # How long a fetched upstream OpenAPI document is reused.
    openapi_cache_seconds: float = Field(default=60.0, ge=0)
    # Strict-Transport-Security max-age, sent on requests that came over HTTPS.
    hsts_max_age_seconds: int = Field(default=31_536_000, ge=0)

    # Live updates at /ws (docs/live-updates.md). The server pings every heartbeat interval.
    ws_heartbeat_seconds: float = Field(default=25.0, gt=0)
    # Largest client frame accepted; a bigger one closes the socket (1009).
    ws_max_frame_bytes: int = Field(default=4096, ge=64)
    ws_max_subscriptions: int = Field(default=50, ge=1)
    # Client frames per minute per socket (a burst of this size is allowed, then it refills).
    ws_messages_per_minute: int = Field(default=120, ge=1)
    # Frames waiting for a slow client; when full the socket is closed (1013) and the client
    # reconnects, getting the alerts it missed.
    ws_send_queue: int = Field(default=256, ge=1)
    # Prefix of the Redis pub/sub channel and alert keys shared by every gateway process.
    live_redis_prefix: str = "nilecare:gateway:live:"
    # How long a critical alert stays active (replayed on subscribe); older events are not live.
    live_alert_window_seconds: int = Field(default=12 * 3600, ge=60)
    # Active alerts kept per topic (the newest).
    live_alerts_per_topic: int = Field(default=200, ge=1)

    @field_validator("cors_origins", "login_paths", "trusted_proxies", mode="before")
    @classmethod
    def _lists_from_text(cls, value: Any) -> Any:
        return _split_list(value)

    @field_validator("trusted_proxies")
    @classmethod
    def _valid_networks(cls, value: list[str]) -> list[str]:
        for entry in value:
            ipaddress.ip_network(entry, strict=False)
        return value

    @model_validator(mode="after")
    def _no_credentials_for_any_origin(self) -> GatewaySettings:
        if self.cors_allow_credentials and "*" in self.cors_origins:
            raise ValueError("cors_allow_credentials cannot be combined with the '*' origin")
        return self
