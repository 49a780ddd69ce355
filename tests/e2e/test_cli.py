"""The ``nilecare`` command as an operator uses it, on the embedded SQLite default."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import httpx
import pytest

from tests.live import free_port, nilecare_env, run_cli, serving

pytestmark = pytest.mark.slow


def test_migrate_seed_rotate_and_verify_from_a_clean_data_directory(tmp_path: Path) -> None:
    env = nilecare_env(tmp_path)
    upgraded = run_cli(["db", "upgrade", "--all"], env)
    assert upgraded.returncode == 0, upgraded.stderr
    assert "auth database is up to date" in upgraded.stdout

    seeded = run_cli(["seed", "demo"], env)
    assert seeded.returncode == 0, seeded.stderr
    assert "doctor@demo.nilecare.sd" in seeded.stdout
    assert "created" in seeded.stdout
    clinic_doctor = next(line for line in seeded.stdout.splitlines() if "doctor.omdurman@" in line)
    assert "Omdurman" in clinic_doctor and "Khartoum" not in clinic_doctor
    again = run_cli(["seed", "demo"], env)
    assert "created" not in again.stdout.replace("Demo users", "")
    assert "exists" in again.stdout

    created = run_cli(
        [
            "users",
            "create",
            "--email",
            "amna@example.sd",
            "--role",
            "nurse",
            "--full-name",
            "Amna Osman",
            "--password",
            "Blue-Nile-Sunrise-42",
        ],
        env,
    )
    assert created.returncode == 0, created.stderr
    weak = run_cli(
        [
            "users",
            "create",
            "--email",
            "weak@example.sd",
            "--role",
            "nurse",
            "--full-name",
            "Weak",
            "--password",
            "password123",
        ],
        env,
    )
    assert weak.returncode != 0

    rotated = run_cli(["keys", "rotate"], env)
    assert rotated.returncode == 0, rotated.stderr
    assert "is active" in rotated.stdout

    verified = run_cli(["audit", "verify"], env)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "auth:" in verified.stdout

    with sqlite3.connect(tmp_path / "db" / "auth.sqlite3") as conn:
        conn.execute("UPDATE audit_events SET outcome = 'denied' WHERE seq = 1")
    tampered = run_cli(["audit", "verify"], env)
    assert tampered.returncode == 1
    assert "row 1 was altered" in tampered.stdout

    # Hiding that someone read a patient's chart is caught the same way.
    with sqlite3.connect(tmp_path / "db" / "clinical.sqlite3") as conn:
        (seq,) = conn.execute(
            "SELECT MAX(seq) - 1 FROM audit_events WHERE patient_id IS NOT NULL"
        ).fetchone()
        conn.execute("DELETE FROM audit_events WHERE seq = ?", (seq,))
    tampered = run_cli(["audit", "verify", "clinical"], env)
    assert tampered.returncode == 1
    assert "clinical:" in tampered.stdout


def test_a_generated_demo_password_is_printed_once_and_works(tmp_path: Path) -> None:
    env = nilecare_env(tmp_path)
    del env["NILECARE_DEMO_PASSWORD"]
    first = run_cli(["seed", "demo"], env)
    assert first.returncode == 0, first.stderr
    password = (tmp_path / "secrets" / "demo-password.txt").read_text().strip()
    assert password in first.stdout
    second = run_cli(["seed", "demo"], env)
    assert password not in second.stdout

    port = free_port()
    with serving(["up"], env, port) as base:
        login = httpx.post(
            f"{base}/api/v1/auth/login",
            json={"email": "doctor@demo.nilecare.sd", "password": password},
        )
        assert login.status_code == 200, login.text
        me = httpx.get(
            f"{base}/api/v1/auth/me",
            headers={"Authorization": f"Bearer {login.json()['access_token']}"},
        )
        assert me.json()["email"] == "doctor@demo.nilecare.sd"
        docs = httpx.get(f"{base}/docs")
        assert docs.status_code == 200
        assert "/api/v1/auth/login" in httpx.get(f"{base}/openapi.json").json()["paths"]


def test_an_unknown_service_is_refused(tmp_path: Path) -> None:
    result = run_cli(["db", "upgrade", "nosuch"], nilecare_env(tmp_path))
    assert result.returncode != 0
    assert "nosuch" in result.stdout + result.stderr
