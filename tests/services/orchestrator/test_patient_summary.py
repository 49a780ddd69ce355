"""The patient summary gathers the clinical service's parts in parallel, with the real clinical
app in the same platform directory; a failed part is reported, not fatal."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from nilecare.kernel.service import build_service_app
from nilecare.runtime.bootstrap import build_context
from nilecare.services.clinical.app import SERVICE as CLINICAL
from nilecare.services.orchestrator.app import SERVICE as ORCHESTRATOR
from tests.harness import running_service
from tests.services.clinical.conftest import (
    ALL_CLINICAL,
    FACILITY_B,
    Clinical,
    FakeFacility,
)
from tests.tokens import Signer


@dataclass
class Stack:
    clinical: Clinical
    orchestrator: httpx.AsyncClient


@pytest.fixture
async def stack(database_url: str, tmp_path: Path) -> AsyncIterator[Stack]:
    signer = Signer()
    facility = FakeFacility()
    async with running_service(CLINICAL, database_url, tmp_path) as svc:
        svc.platform.verifier._fetch = signer.fetch_jwks
        svc.platform.directory.register_app("facility", facility.app())
        context = build_context(svc.platform, ORCHESTRATOR)
        app = build_service_app(context)
        svc.platform.directory.register_app("orchestrator", app)
        transport = httpx.ASGITransport(app=app, client=("203.0.113.9", 50000))
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url="http://orch") as client,
        ):
            yield Stack(Clinical(svc, signer, facility), client)


async def _chart(stack: Stack) -> str:
    clinical = stack.clinical
    patient = await clinical.register()
    pid = patient["id"]
    h = clinical.headers()
    await clinical.client.post(
        "/api/v1/encounters",
        json={"patient_id": pid, "encounter_class": "emergency", "status": "in_progress"},
        headers=h,
    )
    await clinical.client.post(
        "/api/v1/diagnoses", json={"patient_id": pid, "code": "J45.901"}, headers=h
    )
    await clinical.client.post(
        "/api/v1/allergies",
        json={"patient_id": pid, "substance": "Aspirin", "allergy_class": "drug"},
        headers=h,
    )
    for rate in (88, 155):
        await clinical.client.post(
            "/api/v1/vital-signs", json={"patient_id": pid, "heart_rate": rate}, headers=h
        )
    return str(pid)


async def test_the_summary_gathers_every_part_of_the_chart(stack: Stack) -> None:
    pid = await _chart(stack)
    answer = await stack.orchestrator.get(
        f"/api/v1/patient-summaries/{pid}", headers=stack.clinical.headers()
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["patient"]["id"] == pid
    assert body["active_encounter"]["encounter_class"] == "emergency"
    assert [d["code"] for d in body["diagnoses"]] == ["J45.901"]
    assert [a["substance"] for a in body["allergies"]] == ["Aspirin"]
    assert body["last_vitals"]["values"]["heart_rate"] == 155
    assert body["last_vitals"]["critical"] is True
    assert {name: part["status"] for name, part in body["parts"].items()} == {
        "patient": "ok",
        "encounters": "ok",
        "diagnoses": "ok",
        "allergies": "ok",
        "vitals": "ok",
    }


async def test_a_failing_part_is_reported_instead_of_failing_the_summary(stack: Stack) -> None:
    pid = await _chart(stack)
    without_vitals = [p for p in ALL_CLINICAL if p != "clinical.vitals.read"]
    answer = await stack.orchestrator.get(
        f"/api/v1/patient-summaries/{pid}",
        headers=stack.clinical.headers(permissions=without_vitals),
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["last_vitals"] is None
    assert body["parts"]["vitals"]["status"] == "failed"
    assert body["parts"]["vitals"]["error"].startswith("403")
    assert body["parts"]["diagnoses"]["status"] == "ok" and body["diagnoses"]


async def test_a_patient_the_caller_cannot_see_is_not_found(stack: Stack) -> None:
    other = await stack.clinical.register(
        headers=stack.clinical.headers(facilities=(FACILITY_B,)), facility_id=str(FACILITY_B)
    )
    answer = await stack.orchestrator.get(
        f"/api/v1/patient-summaries/{other['id']}", headers=stack.clinical.headers()
    )
    assert answer.status_code == 404
    missing = await stack.orchestrator.get(
        f"/api/v1/patient-summaries/{uuid.uuid4()}", headers=stack.clinical.headers()
    )
    assert missing.status_code == 404
