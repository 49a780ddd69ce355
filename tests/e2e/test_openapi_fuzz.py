"""schemathesis against the gateway's combined OpenAPI: no 5xx, and every error is problem+json."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pyotp
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.live import free_port, nilecare_env, run_cli, serving

pytestmark = pytest.mark.slow

PASSWORD = "Blue-Nile-Sunset-2026"


def admin_token(base: str) -> str:
    """Log in as the demo admin, completing the mandatory MFA enrolment."""
    login = httpx.post(
        f"{base}/api/v1/auth/login", json={"email": "admin@demo.nilecare.sd", "password": PASSWORD}
    ).json()
    limited = {"Authorization": f"Bearer {login['access_token']}"}
    secret = httpx.post(f"{base}/api/v1/auth/mfa/enrollment", headers=limited).json()["secret"]
    confirmed = httpx.post(
        f"{base}/api/v1/auth/mfa/enrollment/confirmation",
        headers=limited,
        json={"code": pyotp.TOTP(secret).now()},
    )
    assert confirmed.status_code == 200, confirmed.text
    backup_code = confirmed.json()["backup_codes"][0]
    full = httpx.post(
        f"{base}/api/v1/auth/login",
        json={"email": "admin@demo.nilecare.sd", "password": PASSWORD, "otp": backup_code},
    )
    assert full.status_code == 200, full.text
    token: str = full.json()["access_token"]
    return token


@pytest.fixture(scope="module")
def live_platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    data_dir: Path = tmp_path_factory.mktemp("fuzz")
    env = nilecare_env(
        data_dir,
        NILECARE_GATEWAY__IP_REQUESTS_PER_MINUTE="100000",
        NILECARE_GATEWAY__USER_REQUESTS_PER_MINUTE="100000",
    )
    assert run_cli(["seed", "demo"], env).returncode == 0
    with serving(["up"], env, free_port()) as base:
        yield base, admin_token(base)


def content_type(response: schemathesis.Response) -> str:
    values = response.headers.get("content-type") or [""]
    return str(values[0])


SKIPPED_PATHS = {"/api/v1/auth/logout", "/api/v1/auth/mfa/deactivation"}


def test_no_input_makes_the_api_fail_or_answer_without_a_problem(
    live_platform: tuple[str, str],
) -> None:
    base, token = live_platform
    schema = schemathesis.openapi.from_dict(httpx.get(f"{base}/openapi.json").json())
    operations = [result.ok() for result in schema.get_all_operations()]
    # Never let a generated request log the fuzzing admin out or disable its MFA.
    operations = [op for op in operations if op.path not in SKIPPED_PATHS]
    assert len(operations) > 15
    failures: list[str] = []
    statuses: list[int] = []

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=12, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        def check(case: schemathesis.Case) -> None:
            response = case.call(base_url=base, headers={"Authorization": f"Bearer {token}"})
            statuses.append(response.status_code)
            label = f"{case.method} {case.formatted_path} -> {response.status_code}"
            if response.status_code >= 500:
                failures.append(f"{label}: {response.text[:300]}")
            elif response.status_code >= 400 and not content_type(response).startswith(
                "application/problem+json"
            ):
                failures.append(f"{label} without problem+json: {response.text[:300]}")

        check()
    assert failures == []
    assert len(statuses) > 3 * len(operations)
    assert any(status < 300 for status in statuses)
    assert any(400 <= status < 500 for status in statuses)
