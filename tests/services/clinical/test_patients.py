"""Patient registration, validation, encryption at rest, search, duplicates, merge and MRNs."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text

from nilecare.services.clinical.models import Patient, kernel_tables
from tests.services.clinical.conftest import FACILITY_A, FACILITY_B, Clinical, patient_body


async def test_registering_a_patient_normalises_the_phone_and_gives_an_mrn(
    clinical: Clinical,
) -> None:
    patient = await clinical.register(phone="0912 345 678", alternate_phone="00249123456789")
    assert patient["phone"] == "+249912345678"
    assert patient["alternate_phone"] == "+249123456789"
    assert patient["mrn"].startswith("FA1A1A1-") and patient["mrn"].endswith("000001")
    assert patient["address"]["state"] == "Khartoum"
    assert patient["status"] == "active"
    again = await clinical.client.get(
        f"/api/v1/patients/{patient['id']}", headers=clinical.headers()
    )
    assert again.status_code == 200 and again.json()["national_id"] == patient["national_id"]


@pytest.mark.parametrize(
    ("field", "value", "named"),
    [
        ("phone", "+24912345", "phone"),
        ("phone", "0812-34", "phone"),
        ("national_id", "12345", "national_id"),
        ("birth_date", (datetime.now(UTC) + timedelta(days=2)).date().isoformat(), "birth_date"),
        ("address", {"state": "Atlantis", "locality": "X"}, "address.state"),
        (
            "emergency_contact",
            {"name": "A", "relation": "b", "phone": "123"},
            "emergency_contact.phone",
        ),
        ("sex", "dragon", "sex"),
        ("preferred_language", "fr", "preferred_language"),
        ("email", "not-an-address", "email"),
    ],
)
async def test_each_bad_field_is_refused_with_a_422_naming_it(
    clinical: Clinical, field: str, value: object, named: str
) -> None:
    answer = await clinical.client.post(
        "/api/v1/patients", json=patient_body(**{field: value}), headers=clinical.headers()
    )
    assert answer.status_code == 422, answer.text
    assert named in [e["field"] for e in answer.json()["errors"]]


async def test_registering_at_a_facility_outside_the_callers_scope_is_refused(
    clinical: Clinical,
) -> None:
    answer = await clinical.client.post(
        "/api/v1/patients",
        json=patient_body(facility_id=str(FACILITY_B)),
        headers=clinical.headers(),
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "facility_id"


async def test_identifiers_are_encrypted_at_rest_and_searchable_by_keyed_hash(
    clinical: Clinical,
) -> None:
    patient = await clinical.register(national_id="19876543210", phone="0911222333")
    async with clinical.svc.context.database.engine.connect() as conn:
        row = (
            (
                await conn.execute(
                    text("SELECT * FROM patients WHERE mrn = :m"), {"m": patient["mrn"]}
                )
            )
            .mappings()
            .one()
        )
    raw = " ".join(str(v) for v in row.values())
    assert "19876543210" not in raw
    assert "911222333" not in raw
    assert "Bahri" not in raw
    assert row["national_id_enc"].split(".")[0] == clinical.svc.context.keyring.active_kid
    by_nid = await clinical.client.get(
        "/api/v1/patients", params={"national_id": "198-7654-3210"}, headers=clinical.headers()
    )
    assert [p["id"] for p in by_nid.json()["items"]] == [patient["id"]]
    by_phone = await clinical.client.get(
        "/api/v1/patients", params={"phone": "+249911222333"}, headers=clinical.headers()
    )
    assert [p["id"] for p in by_phone.json()["items"]] == [patient["id"]]
    bad = await clinical.client.get(
        "/api/v1/patients", params={"phone": "12"}, headers=clinical.headers()
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "phone"


async def test_name_search_finds_english_and_arabic_names_case_insensitively(
    clinical: Clinical,
) -> None:
    mohamed = await clinical.register(
        given_name_en="Mohamed",
        family_name_en="Elamin",
        given_name_ar="مُحمّد",
        family_name_ar="الأمين",
    )
    await clinical.register(
        given_name_en="Sara", family_name_en="Hassan", given_name_ar="سارة", family_name_ar="حسن"
    )
    for query in ("moham", "ELAMIN", "محمد", "الامين"):
        answer = await clinical.client.get(
            "/api/v1/patients", params={"name": query}, headers=clinical.headers()
        )
        assert answer.status_code == 200
        assert [p["id"] for p in answer.json()["items"]] == [mohamed["id"]], query
        assert answer.json()["total"] == 1
    wildcard = await clinical.client.get(
        "/api/v1/patients", params={"name": "%"}, headers=clinical.headers()
    )
    assert wildcard.json()["total"] == 0


async def test_a_likely_duplicate_is_answered_409_with_the_candidates_until_confirmed(
    clinical: Clinical,
) -> None:
    first = await clinical.register(national_id="11111111111")
    same_nid = patient_body(national_id="11111111111")
    answer = await clinical.client.post(
        "/api/v1/patients", json=same_nid, headers=clinical.headers()
    )
    assert answer.status_code == 409
    assert answer.json()["candidate_ids"] == [first["id"]]
    assert answer.json()["reasons"][first["id"]] == ["national_id"]

    same_phone = patient_body(phone=first["phone"])
    answer = await clinical.client.post(
        "/api/v1/patients", json=same_phone, headers=clinical.headers()
    )
    assert answer.status_code == 409 and "phone" in answer.json()["reasons"][first["id"]]

    similar = patient_body(
        given_name_en=first["given_name_en"].lower(),
        family_name_en=first["family_name_en"] + "e",
        birth_date=first["birth_date"],
    )
    answer = await clinical.client.post(
        "/api/v1/patients", json=similar, headers=clinical.headers()
    )
    assert answer.status_code == 409
    assert "name_and_birth_date" in answer.json()["reasons"][first["id"]]

    confirmed = await clinical.client.post(
        "/api/v1/patients", json={**similar, "confirm_new": True}, headers=clinical.headers()
    )
    assert confirmed.status_code == 201 and confirmed.json()["id"] != first["id"]

    linked = await clinical.client.post(
        "/api/v1/patients",
        json={**same_nid, "link_to_patient_id": first["id"]},
        headers=clinical.headers(),
    )
    assert linked.status_code == 200 and linked.json()["id"] == first["id"]


async def test_duplicate_candidates_of_other_facilities_are_not_revealed(
    clinical: Clinical,
) -> None:
    other = await clinical.register(
        headers=clinical.headers(facilities=(FACILITY_B,)),
        facility_id=str(FACILITY_B),
        national_id="22222222222",
    )
    answer = await clinical.client.post(
        "/api/v1/patients", json=patient_body(national_id="22222222222"), headers=clinical.headers()
    )
    assert answer.status_code == 201
    assert other["id"] not in answer.text


async def test_merging_marks_the_duplicate_merged_into_the_survivor_with_audit(
    clinical: Clinical,
) -> None:
    survivor = await clinical.register()
    duplicate = await clinical.register()
    answer = await clinical.client.post(
        f"/api/v1/patients/{survivor['id']}/merge",
        json={"duplicate_id": duplicate["id"]},
        headers=clinical.headers(),
    )
    assert answer.status_code == 200, answer.text
    merged = (
        await clinical.client.get(f"/api/v1/patients/{duplicate['id']}", headers=clinical.headers())
    ).json()
    assert merged["status"] == "merged" and merged["merged_into_id"] == survivor["id"]
    search = await clinical.client.get(
        "/api/v1/patients", params={"name": duplicate["given_name_en"]}, headers=clinical.headers()
    )
    assert search.json()["total"] == 0
    again = await clinical.client.post(
        f"/api/v1/patients/{survivor['id']}/merge",
        json={"duplicate_id": duplicate["id"]},
        headers=clinical.headers(),
    )
    assert again.status_code == 409
    audit = kernel_tables.audit_events
    async with clinical.svc.context.database.session() as session:
        rows = (
            await session.execute(
                select(audit.c.patient_id).where(audit.c.action == "patient.merge")
            )
        ).all()
    assert {r.patient_id for r in rows} == {survivor["id"], duplicate["id"]}


async def test_updating_contact_details_re_encrypts_and_re_indexes_the_phone(
    clinical: Clinical,
) -> None:
    patient = await clinical.register()
    answer = await clinical.client.patch(
        f"/api/v1/patients/{patient['id']}",
        json={"phone": "0123000111", "address": {"state": "gezira", "locality": "Wad Madani"}},
        headers=clinical.headers(),
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["phone"] == "+249123000111"
    assert answer.json()["address"]["state"] == "Gezira"
    found = await clinical.client.get(
        "/api/v1/patients", params={"phone": "0123000111"}, headers=clinical.headers()
    )
    assert [p["id"] for p in found.json()["items"]] == [patient["id"]]
    bad = await clinical.client.patch(
        f"/api/v1/patients/{patient['id']}", json={"phone": None}, headers=clinical.headers()
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "phone"


async def test_a_patients_email_is_lower_cased_encrypted_at_rest_audited_and_removable(
    clinical: Clinical,
) -> None:
    patient = await clinical.register(email=" Amna.Elamin@Example.COM ")
    assert patient["email"] == "amna.elamin@example.com"
    async with clinical.svc.context.database.engine.connect() as conn:
        row = (
            (
                await conn.execute(
                    text("SELECT * FROM patients WHERE mrn = :m"), {"m": patient["mrn"]}
                )
            )
            .mappings()
            .one()
        )
    assert "amna.elamin" not in " ".join(str(v) for v in row.values()).lower()
    assert row["email_enc"].split(".")[0] == clinical.svc.context.keyring.active_kid
    changed = await clinical.client.patch(
        f"/api/v1/patients/{patient['id']}",
        json={"email": "A.Elamin@Example.org"},
        headers=clinical.headers(),
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["email"] == "a.elamin@example.org"
    audit = kernel_tables.audit_events
    async with clinical.svc.context.database.engine.connect() as conn:
        details = (
            await conn.scalars(
                select(audit.c.details).where(
                    audit.c.action == "patient.update",
                    audit.c.patient_id == patient["id"],
                )
            )
        ).all()
    assert [d["fields"] for d in details] == [["email"]]
    removed = await clinical.client.patch(
        f"/api/v1/patients/{patient['id']}", json={"email": None}, headers=clinical.headers()
    )
    assert removed.status_code == 200 and removed.json()["email"] is None
    again = await clinical.client.get(
        f"/api/v1/patients/{patient['id']}", headers=clinical.headers()
    )
    assert again.json()["email"] is None


async def test_fifty_parallel_registrations_get_fifty_distinct_mrns(clinical: Clinical) -> None:
    headers = clinical.headers()
    answers = await asyncio.gather(
        *(
            clinical.client.post(
                "/api/v1/patients", json=patient_body(confirm_new=True), headers=headers
            )
            for _ in range(50)
        )
    )
    assert [a.status_code for a in answers] == [201] * 50, [
        a.text for a in answers if a.status_code != 201
    ][:2]
    mrns = {a.json()["mrn"] for a in answers}
    assert len(mrns) == 50
    numbers = sorted(int(m.split("-")[1]) for m in mrns)
    assert numbers == list(range(1, 51))
    async with clinical.svc.context.database.session() as session:
        count = len((await session.scalars(select(Patient.mrn))).all())
    assert count == 50


async def test_mrns_are_counted_per_facility_with_its_prefix(clinical: Clinical) -> None:
    both = clinical.headers(facilities=(FACILITY_A, FACILITY_B))
    a = await clinical.register(headers=both)
    b = await clinical.register(headers=both, facility_id=str(FACILITY_B))
    assert a["mrn"] == f"F{FACILITY_A.hex[:6].upper()}-000001"
    assert b["mrn"] == f"F{FACILITY_B.hex[:6].upper()}-000001"
    assert uuid.UUID(a["id"]) != uuid.UUID(b["id"])
