"""Gateway settings from the environment, and the combinations refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from nilecare.kernel.auth.revocation import MemoryRevocationStore
from nilecare.kernel.auth.tokens import TokenVerifier
from nilecare.kernel.config import PlatformSettings
from nilecare.services.gateway.app import build_gateway
from nilecare.services.gateway.settings import GatewaySettings
from tests.tokens import AUDIENCE, ISSUER, Signer


def test_settings_are_read_from_gateway_variables_as_lists_or_json(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NILECARE_GATEWAY__CORS_ORIGINS", "https://a.example, https://b.example")
    monkeypatch.setenv("NILECARE_GATEWAY__TRUSTED_PROXIES", '["10.0.0.0/8", "192.0.2.1"]')
    monkeypatch.setenv("NILECARE_GATEWAY__MAX_BODY_BYTES", "2048")
    monkeypatch.setenv("NILECARE_GATEWAY__LOGIN_REQUESTS_PER_MINUTE", "5")
    settings = GatewaySettings(_env_file=None)
    assert settings.cors_origins == ["https://a.example", "https://b.example"]
    assert settings.trusted_proxies == ["10.0.0.0/8", "192.0.2.1"]
    assert settings.max_body_bytes == 2048
    assert settings.login_requests_per_minute == 5


def test_defaults_trust_no_proxy_and_accept_ten_mebibytes() -> None:
    settings = GatewaySettings(_env_file=None)
    assert settings.trusted_proxies == []
    assert settings.max_body_bytes == 10 * 1024 * 1024
    assert settings.login_requests_per_minute < settings.ip_requests_per_minute


def test_bad_proxy_networks_and_credentials_for_any_origin_are_refused() -> None:
    with pytest.raises(ValidationError, match="does not appear to be an IPv4 or IPv6"):
        GatewaySettings(_env_file=None, trusted_proxies=["not-a-network"])
    with pytest.raises(ValidationError, match="'\\*' origin"):
        GatewaySettings(_env_file=None, cors_origins=["*"], cors_allow_credentials=True)


def test_production_refuses_a_wildcard_cors_origin(tmp_path: Path) -> None:
    signer = Signer()
    verifier = TokenVerifier(
        signer.fetch_jwks, issuer=ISSUER, audience=AUDIENCE, revocations=MemoryRevocationStore()
    )
    production = PlatformSettings(
        _env_file=None,
        environment="production",
        data_dir=tmp_path,
        encryption_keys="k1:" + "A" * 43 + "=",
        hmac_key="Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eA==",
    )
    with pytest.raises(ValueError, match="may not contain"):
        build_gateway(
            [],
            settings=GatewaySettings(_env_file=None, cors_origins=["*"]),
            platform=production,
            verifier=verifier,
        )
