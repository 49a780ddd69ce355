"""Clinical reads at hospital scale: patient search by name and the patient chart, each beside
bare SELECTs of the same rows in the same run.

Data: PATIENTS patients at one facility (Sudanese names, "given father family"), bulk-loaded
with SQLAlchemy Core in large batches. Every row is built by the clinical service's own
``new_patient`` (so identifiers are sealed with the service's keyring and hashed with its
hasher, names normalised the way the service stores them). One of the patients has ENCOUNTERS
encounters (one in progress, the rest finished), VITALS vital-sign rows, diagnoses and allergies.

Measured, request by request (p50/p95 latency):
  (a) ``GET /api/v1/patients?name=<words>`` through the clinical service app (token
      verification, permission, facility scope, a count, a page of 50, decryption, one audit row
      per hit), for the words of a full name and for the three-letter prefixes a receptionist
      types, vs the repository's count and page SELECTs on the name-token index on a plain
      session (no API, no audit, no decryption);
  (b) ``GET /api/v1/patient-summaries/{id}`` through the orchestrator app, which calls the
      clinical app in-process for its five parts (patient, active encounters, diagnoses,
      allergies, latest vitals), vs those five SELECTs on a plain connection;
  (c) ``GET /api/v1/patients/{id}/vital-signs?newest_first=true&limit=500`` vs the same SELECT.
Rounds alternate between the two sides. The ratio printed is bare / API (higher is better).

SQLite (a temp file) by default; ``--database-url`` runs on another database, loopback only,
for example postgresql://postgres@127.0.0.1:5432/nilecare_bench (the tables are created by the
service's migrations; use an empty database that you drop afterwards).

    .venv/bin/python bench/clinical.py [--quick] [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from fastapi import FastAPI  # noqa: E402
from sqlalchemy import func, insert, select  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncEngine  # noqa: E402

from nilecare.contracts.clinical import permissions as p  # noqa: E402
from nilecare.contracts.clinical.schemas import (  # noqa: E402
    ICD10_CM_SYSTEM,
    SUDAN_STATES,
    Address,
    EmergencyContact,
    Language,
    PatientCreate,
    Sex,
)
from nilecare.kernel.config import PlatformSettings  # noqa: E402
from nilecare.kernel.db.migrations import upgrade_database  # noqa: E402
from nilecare.kernel.db.scope import FacilityScope  # noqa: E402
from nilecare.kernel.observability.logging import configure_logging  # noqa: E402
from nilecare.kernel.service import ServiceContext, build_service_app  # noqa: E402
from nilecare.runtime.bootstrap import build_context, build_platform  # noqa: E402
from nilecare.services.clinical import domain, repository  # noqa: E402
from nilecare.services.clinical.admin import ALLERGIES, DIAGNOSES, FAMILY, GIVEN  # noqa: E402
from nilecare.services.clinical.app import SERVICE as CLINICAL  # noqa: E402
from nilecare.services.clinical.models import (  # noqa: E402
    Allergy,
    Diagnosis,
    Encounter,
    MrnCounter,
    Patient,
    PatientNameToken,
    VitalSigns,
)
from nilecare.services.clinical.service.patients import mrn_prefix, new_patient  # noqa: E402
from nilecare.services.orchestrator.app import SERVICE as ORCHESTRATOR  # noqa: E402
from tests.tokens import Signer  # noqa: E402

FACILITY = uuid.UUID("a1a1a1a1-0000-4000-8000-0000000000a1")
READ = [
    p.CLINICAL_PATIENT_READ,
    p.CLINICAL_ENCOUNTER_READ,
    p.CLINICAL_VITALS_READ,
]
BATCH = 5_000
PAGE = 50
ACTIVE = ("in_progress", "arrived", "planned")


@dataclass
class Sizes:
    patients: int
    encounters: int
    vitals: int
    requests: int
    rounds: int


def _names(index: int) -> tuple[str, str, str, str, Sex]:
    """(given en, family en, given ar, family ar, sex); family = father's name and tribe."""
    given_en, given_ar, sex = GIVEN[index % len(GIVEN)]
    father_en, father_ar, _ = GIVEN[(index // len(GIVEN)) % len(GIVEN)]
    tribe_en, tribe_ar = FAMILY[(index // len(GIVEN) ** 2) % len(FAMILY)]
    if sex is Sex.FEMALE and father_en in {"Fatima", "Amna", "Mariam", "Khadija", "Hawa", "Sara"}:
        father_en, father_ar = "Abdalla", "عبد الله"
    return given_en, f"{father_en} {tribe_en}", given_ar, f"{father_ar} {tribe_ar}", sex


def _patient_rows(
    context: ServiceContext, index: int, prefix: str
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A patient's row and its name-token rows."""
    given_en, family_en, given_ar, family_ar, sex = _names(index)
    data = PatientCreate(
        facility_id=FACILITY,
        given_name_en=given_en,
        family_name_en=family_en,
        given_name_ar=given_ar,
        family_name_ar=family_ar,
        sex=sex,
        birth_date=date(1940, 1, 1) + timedelta(days=(index * 523) % 30_000),
        national_id=f"{30_000_000_000 + index * 7919:011d}",
        phone=f"+2499{index:08d}",
        address=Address(state=SUDAN_STATES[index % len(SUDAN_STATES)], locality="Bahri"),
        emergency_contact=EmergencyContact(
            name=f"{GIVEN[(index + 3) % len(GIVEN)][0]} {family_en}",
            relation="sibling",
            phone=f"+2491{index:08d}",
        ),
        preferred_language=Language.AR if index % 3 else Language.EN,
        confirm_new=True,
    )
    patient = new_patient(context.keyring, context.hasher, data)
    patient.mrn = f"{prefix}-{index + 1:06d}"
    tokens = domain.name_tokens(given_en, family_en, given_ar, family_ar)
    return {c.key: getattr(patient, c.key) for c in Patient.__table__.columns}, [
        {"patient_id": patient.id, "facility_id": FACILITY, "token": t} for t in sorted(tokens)
    ]


async def _insert(engine: AsyncEngine, table: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), BATCH):
        async with engine.begin() as conn:
            await conn.execute(insert(table), rows[start : start + BATCH])


async def load(context: ServiceContext, sizes: Sizes) -> uuid.UUID:
    """Bulk-load the patients and one patient's history; returns that patient's id."""
    engine = context.database.engine
    settings: Any = context.settings
    prefix = mrn_prefix(settings, FACILITY)
    chart_id: uuid.UUID | None = None
    for start in range(0, sizes.patients, BATCH):
        batch = [
            _patient_rows(context, i, prefix)
            for i in range(start, min(start + BATCH, sizes.patients))
        ]
        if chart_id is None:
            chart_id = batch[0][0]["id"]
        await _insert(engine, Patient.__table__, [row for row, _ in batch])
        await _insert(
            engine, PatientNameToken.__table__, [t for _, tokens in batch for t in tokens]
        )
    assert chart_id is not None
    await _insert(
        engine, MrnCounter.__table__, [{"facility_id": FACILITY, "last_value": sizes.patients}]
    )
    now = datetime.now(UTC).replace(microsecond=0)
    encounters: list[dict[str, Any]] = []
    for i in range(sizes.encounters):
        started = now - timedelta(days=3 * (sizes.encounters - i))
        current = i == sizes.encounters - 1
        encounters.append(
            {
                "id": uuid.uuid4(),
                "patient_id": chart_id,
                "facility_id": FACILITY,
                "encounter_class": "inpatient" if current or i % 10 == 0 else "outpatient",
                "status": "in_progress" if current else "finished",
                "reason": "Follow-up visit",
                "bed_id": None,
                "holds_bed": False,
                "started_at": started,
                "ended_at": None if current else started + timedelta(hours=2),
                "created_at": started,
                "updated_at": started,
            }
        )
    await _insert(engine, Encounter.__table__, encounters)
    diagnoses = []
    for i, encounter in enumerate(encounters[:: max(1, sizes.encounters // 20)]):
        code = DIAGNOSES[i % len(DIAGNOSES)]
        diagnoses.append(
            {
                "id": uuid.uuid4(),
                "patient_id": chart_id,
                "facility_id": FACILITY,
                "encounter_id": encounter["id"],
                "code_system": ICD10_CM_SYSTEM,
                "code_system_version": domain.ICD10_CM_VERSION,
                "code": code,
                "display": domain.icd10_display(code)[:300],
                "clinical_status": "active" if i % 2 else "resolved",
                "verification_status": "confirmed",
                "onset_date": None,
                "note": None,
                "recorded_at": encounter["started_at"],
                "created_at": encounter["started_at"],
                "updated_at": encounter["started_at"],
            }
        )
    await _insert(engine, Diagnosis.__table__, diagnoses)
    allergies = [
        {
            "id": uuid.uuid4(),
            "patient_id": chart_id,
            "facility_id": FACILITY,
            "substance": substance,
            "substance_code": None,
            "substance_system": None,
            "allergy_class": klass,
            "reaction": reaction,
            "severity": severity,
            "criticality": criticality,
            "recorded_at": now,
            "created_at": now,
            "updated_at": now,
        }
        for substance, klass, reaction, severity, criticality in ALLERGIES[:2]
    ]
    await _insert(engine, Allergy.__table__, allergies)
    vitals = []
    per_encounter = max(1, sizes.vitals // sizes.encounters)
    for i in range(sizes.vitals):
        encounter = encounters[min(i // per_encounter, len(encounters) - 1)]
        values = {
            "heart_rate": 62.0 + (i * 7) % 70,
            "systolic_bp": 100.0 + (i * 3) % 70,
            "diastolic_bp": 60.0 + i % 30,
            "spo2": 91.0 + i % 9,
            "temperature": 36.0 + (i % 30) / 10,
            "respiratory_rate": 12.0 + i % 12,
            "weight": None,
            "height": None,
        }
        flags = domain.flag_vitals({k: v for k, v in values.items() if v is not None})
        vitals.append(
            {
                "id": uuid.uuid4(),
                "patient_id": chart_id,
                "facility_id": FACILITY,
                "encounter_id": encounter["id"],
                "recorded_at": encounter["started_at"] + timedelta(minutes=10 * (i % 12)),
                "recorded_by": None,
                "critical": any(f.value == "critical" for f in flags.values()),
                **values,
            }
        )
    await _insert(engine, VitalSigns.__table__, vitals)
    return chart_id


# -- the bare side: the same rows, plain connection, no API ---------------------------------


async def bare_search(context: ServiceContext, words: list[str]) -> int:
    """The repository's count and page SELECTs on the token index, without the API."""
    async with context.database.session() as session:
        rows, total = await repository.search_patients(
            session,
            FacilityScope(False, frozenset({FACILITY})),
            name_words=words,
            national_id_hash=None,
            phone_hash=None,
            birth_date=None,
            mrn=None,
            include_merged=False,
            limit=PAGE,
            offset=0,
        )
    assert total and len(rows) == min(PAGE, total)
    return total


async def bare_summary(engine: AsyncEngine, patient_id: uuid.UUID) -> int:
    scope = [FACILITY]
    async with engine.connect() as conn:
        patient = (
            await conn.execute(
                select(Patient.__table__).where(
                    Patient.id == patient_id, Patient.facility_id.in_(scope)
                )
            )
        ).one()
        active = [
            Encounter.facility_id.in_(scope),
            Encounter.patient_id == patient_id,
            Encounter.status.in_(ACTIVE),
        ]
        await conn.scalar(select(func.count()).select_from(Encounter).where(*active))
        encounters = (
            await conn.execute(
                select(Encounter.__table__)
                .where(*active)
                .order_by(Encounter.created_at.desc(), Encounter.id)
                .limit(10)
            )
        ).all()
        diagnoses = (
            await conn.execute(
                select(Diagnosis.__table__)
                .where(Diagnosis.facility_id.in_(scope), Diagnosis.patient_id == patient_id)
                .order_by(Diagnosis.recorded_at.desc(), Diagnosis.id)
            )
        ).all()
        allergies = (
            await conn.execute(
                select(Allergy.__table__)
                .where(Allergy.facility_id.in_(scope), Allergy.patient_id == patient_id)
                .order_by(Allergy.recorded_at.desc(), Allergy.id)
            )
        ).all()
        vitals = (
            await conn.execute(
                select(VitalSigns.__table__)
                .where(VitalSigns.facility_id.in_(scope), VitalSigns.patient_id == patient_id)
                .order_by(VitalSigns.recorded_at.desc(), VitalSigns.id)
                .limit(1)
            )
        ).all()
    assert patient and encounters and vitals
    return 1 + len(encounters) + len(diagnoses) + len(allergies) + len(vitals)


async def bare_vitals(engine: AsyncEngine, patient_id: uuid.UUID, limit: int) -> int:
    async with engine.connect() as conn:
        rows = (
            await conn.execute(
                select(VitalSigns.__table__)
                .where(VitalSigns.facility_id.in_([FACILITY]), VitalSigns.patient_id == patient_id)
                .order_by(VitalSigns.recorded_at.desc(), VitalSigns.id)
                .limit(limit)
            )
        ).all()
    assert rows
    return len(rows)


# -- measuring ------------------------------------------------------------------------------


async def latencies(call: Callable[[], Awaitable[Any]], count: int) -> list[float]:
    out = []
    for _ in range(count):
        begin = time.perf_counter()
        await call()
        out.append(time.perf_counter() - begin)
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


@dataclass
class Pair:
    api: list[float]
    bare: list[float]


async def compare(
    api: Callable[[], Awaitable[Any]], bare: Callable[[], Awaitable[Any]], sizes: Sizes
) -> Pair:
    await latencies(api, 3)
    await latencies(bare, 3)
    pair = Pair([], [])
    for _ in range(sizes.rounds):
        pair.api += await latencies(api, sizes.requests)
        pair.bare += await latencies(bare, sizes.requests)
    return pair


def report(title: str, api_label: str, pair: Pair, goal: str | None = None) -> None:
    print(title)
    a50, a95 = percentile(pair.api, 0.5) * 1e3, percentile(pair.api, 0.95) * 1e3
    b50, b95 = percentile(pair.bare, 0.5) * 1e3, percentile(pair.bare, 0.95) * 1e3
    print(f"  {api_label:<34}: p50 {a50:>8.2f} ms   p95 {a95:>8.2f} ms")
    print(f"  {'bare SELECTs, same rows':<34}: p50 {b50:>8.2f} ms   p95 {b95:>8.2f} ms")
    print(f"  {'ratio bare / API':<34}: p50 {b50 / a50:>8.2f}x    p95 {b95 / a95:>8.2f}x")
    if goal:
        print(f"  {goal}")


@contextlib.asynccontextmanager
async def started(app: FastAPI) -> AsyncIterator[FastAPI]:
    async with app.router.lifespan_context(app):
        yield app


def _checked(answer: httpx.Response) -> httpx.Response:
    if answer.status_code != 200:
        raise RuntimeError(f"{answer.request.url} answered {answer.status_code}: {answer.text}")
    return answer


async def search_section(
    client: httpx.AsyncClient,
    context: ServiceContext,
    headers: dict[str, str],
    query: str,
    sizes: Sizes,
) -> None:
    params: dict[str, str | int] = {"name": query, "limit": PAGE}
    first = _checked(await client.get("/api/v1/patients", params=params, headers=headers)).json()
    words = domain.search_words(query)
    if first["total"] != await bare_search(context, words):
        raise RuntimeError(f"the API and the bare SELECT count different hits for {query!r}")

    async def api_search() -> None:
        _checked(await client.get("/api/v1/patients", params=params, headers=headers))

    search = await compare(api_search, lambda: bare_search(context, words), sizes)
    report(
        f'(a) patient search, name "{query}" among {sizes.patients:,} patients '
        f"({first['total']:,} hits, page of {PAGE})",
        "GET /api/v1/patients?name=",
        search,
    )


async def run(database_url: str, data_dir: Path, sizes: Sizes) -> None:
    signer = Signer()
    platform = build_platform(
        PlatformSettings(
            _env_file=None, environment="development", data_dir=data_dir, log_level="WARNING"
        )
    )
    platform.verifier._fetch = signer.fetch_jwks
    clinical_context = build_context(platform, CLINICAL, database_url=database_url)
    assert CLINICAL.migrations is not None
    await upgrade_database(clinical_context.database, CLINICAL.migrations)
    clinical = build_service_app(clinical_context)
    orchestrator = build_service_app(build_context(platform, ORCHESTRATOR))
    platform.directory.register_app(CLINICAL.name, clinical)
    platform.directory.register_app(ORCHESTRATOR.name, orchestrator)
    engine = clinical_context.database.engine
    try:
        begin = time.perf_counter()
        chart_id = await load(clinical_context, sizes)
        loaded = time.perf_counter() - begin
        print(
            f"Loaded {sizes.patients:,} patients; one with {sizes.encounters:,} encounters and "
            f"{sizes.vitals:,} vital signs, in {loaded:.1f} s "
            f"({clinical_context.database.dialect})"
        )
        headers = {
            "authorization": "Bearer "
            + signer.token(READ, facility_ids=[str(FACILITY)], exp=int(time.time()) + 3600)
        }
        given, family, _, _, _ = _names(sizes.patients // 2)
        full = f"{given} {family.split()[0]}"
        typed = " ".join(word[:3] for word in full.split())
        async with (
            started(clinical),
            started(orchestrator),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=clinical), base_url="http://clinical"
            ) as to_clinical,
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=orchestrator), base_url="http://orchestrator"
            ) as to_orchestrator,
        ):
            for query in (full, typed):
                await search_section(to_clinical, clinical_context, headers, query, sizes)

            summary_body = _checked(
                await to_orchestrator.get(f"/api/v1/patient-summaries/{chart_id}", headers=headers)
            ).json()
            failed = [k for k, v in summary_body["parts"].items() if v["status"] != "ok"]
            if failed:
                raise RuntimeError(f"summary parts failed: {summary_body['parts']}")

            async def api_summary() -> None:
                _checked(
                    await to_orchestrator.get(
                        f"/api/v1/patient-summaries/{chart_id}", headers=headers
                    )
                )

            chart = await compare(api_summary, lambda: bare_summary(engine, chart_id), sizes)
            report(
                f"(b) patient summary (orchestrator -> clinical, 5 parts), patient with "
                f"{sizes.encounters:,} encounters and {sizes.vitals:,} vitals",
                "GET /api/v1/patient-summaries/{id}",
                chart,
                goal=(
                    "goal: the chart opens well under a second -> p95 "
                    f"{percentile(chart.api, 0.95) * 1e3:.1f} ms "
                    f"({'meets' if percentile(chart.api, 0.95) < 0.5 else 'MISSES'} it, "
                    "read as < 500 ms)"
                ),
            )

            limit = min(500, sizes.vitals)

            async def api_vitals() -> None:
                answer = _checked(
                    await to_clinical.get(
                        f"/api/v1/patients/{chart_id}/vital-signs",
                        params={"newest_first": "true", "limit": limit},
                        headers=headers,
                    )
                )
                assert len(answer.json()) == limit

            vitals = await compare(api_vitals, lambda: bare_vitals(engine, chart_id, limit), sizes)
            report(
                f"(c) the chart's vitals: newest {limit} of {sizes.vitals:,}",
                "GET /patients/{id}/vital-signs",
                vitals,
            )
    finally:
        await platform.aclose()


def _loopback_only(url: str) -> None:
    host = urlsplit(url.replace("+asyncpg", "").replace("+psycopg", "")).hostname
    if host not in {"127.0.0.1", "::1", "localhost"}:
        raise SystemExit(f"--database-url must point at a loopback address, not {host!r}")


async def main(quick: bool, database_url: str | None) -> None:
    configure_logging("WARNING", json_lines=False)
    sizes = (
        Sizes(patients=10_000, encounters=200, vitals=1_000, requests=20, rounds=3)
        if quick
        else Sizes(patients=100_000, encounters=1_000, vitals=5_000, requests=10, rounds=3)
    )
    with tempfile.TemporaryDirectory(prefix="nilecare-bench-") as tmp:
        if database_url:
            _loopback_only(database_url)
        else:
            database_url = f"sqlite+aiosqlite:///{Path(tmp) / 'clinical.sqlite3'}"
        await run(database_url, Path(tmp), sizes)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 patients, short rounds")
    parser.add_argument(
        "--database-url", help="an empty database on a loopback address (default: SQLite temp)"
    )
    args = parser.parse_args()
    asyncio.run(main(args.quick, args.database_url))
