"""Patient name search: every word of the query prefix-matches some given or family name, English
or Arabic, within the caller's facilities; totals count exactly the matches."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import insert, select

from nilecare.kernel.db.engine import Database
from nilecare.kernel.db.migrations import upgrade_database
from nilecare.kernel.db.scope import FacilityScope
from nilecare.kernel.db.types import utcnow
from nilecare.services.clinical import repository
from nilecare.services.clinical.app import SERVICE
from nilecare.services.clinical.models import Patient, PatientNameToken
from tests.services.clinical.conftest import FACILITY_A, FACILITY_B, Clinical


async def _search(clinical: Clinical, name: str, **kwargs: Any) -> tuple[list[str], int]:
    headers = kwargs.pop("headers", None) or clinical.headers()
    answer = await clinical.client.get(
        "/api/v1/patients", params={"name": name, **kwargs}, headers=headers
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    return [p["id"] for p in body["items"]], body["total"]


async def test_every_word_of_the_query_must_begin_some_name(clinical: Clinical) -> None:
    mohamed_osman = await clinical.register(given_name_en="Mohamed", family_name_en="Osman Ali")
    osman_mohamed = await clinical.register(given_name_en="Osman", family_name_en="Mohamedain")
    mohamed_ali = await clinical.register(given_name_en="Mohamed", family_name_en="Ali")
    both = sorted([mohamed_osman["id"], osman_mohamed["id"]])

    assert sorted((await _search(clinical, "moh"))[0]) == sorted(
        [mohamed_osman["id"], osman_mohamed["id"], mohamed_ali["id"]]
    )
    assert sorted((await _search(clinical, "Osm MOH"))[0]) == both
    assert sorted((await _search(clinical, "mohamed osman"))[0]) == both
    assert (await _search(clinical, "mohamed osman ali")) == ([mohamed_osman["id"]], 1)
    assert (await _search(clinical, "mohamedain")) == ([osman_mohamed["id"]], 1)
    # A prefix, not a substring: "hamed" begins no name.
    assert (await _search(clinical, "hamed")) == ([], 0)
    assert (await _search(clinical, "mohamed zzz")) == ([], 0)


async def test_arabic_words_match_without_diacritics_hamza_or_tatweel(clinical: Clinical) -> None:
    patient = await clinical.register(
        given_name_en="Ahmed",
        family_name_en="Abdelrahman",
        given_name_ar="أحْمَد",
        family_name_ar="عبد الرحمـٰن",
    )
    await clinical.register(given_name_ar="أمين", family_name_ar="الحسن")
    for query in ("احمد", "أحمد عبد", "الرحمن", "عبد الرح احم", "إحم"):
        assert await _search(clinical, query) == ([patient["id"]], 1), query
    assert await _search(clinical, "رحمن") == ([], 0)


async def test_hyphenated_names_match_by_each_part(clinical: Clinical) -> None:
    patient = await clinical.register(given_name_en="Omer", family_name_en="El-Amin")
    for query in ("amin", "el-amin", "omer el", "EL AM"):
        assert await _search(clinical, query) == ([patient["id"]], 1), query


async def test_a_query_with_no_word_or_only_wildcards_matches_no_one(clinical: Clinical) -> None:
    await clinical.register()
    for query in (" ", "-", "%", "_", "*"):
        assert await _search(clinical, query) == ([], 0), query


async def test_results_and_totals_are_scoped_to_the_callers_facilities(clinical: Clinical) -> None:
    at_a = [await clinical.register(given_name_en="Hawa", family_name_en="Idris") for _ in range(3)]
    at_b = [
        await clinical.register(
            headers=clinical.headers(facilities=(FACILITY_B,)),
            facility_id=str(FACILITY_B),
            given_name_en="Hawa",
            family_name_en="Idris",
        )
        for _ in range(2)
    ]
    ids_a = sorted(p["id"] for p in at_a)
    ids_b = sorted(p["id"] for p in at_b)

    found, total = await _search(clinical, "hawa idr", limit=2)
    assert total == 3 and len(found) == 2 and set(found) <= set(ids_a)
    second, _ = await _search(clinical, "hawa idr", limit=2, offset=2)
    assert sorted(found + second) == ids_a

    only_b = clinical.headers(facilities=(FACILITY_B,))
    found, total = await _search(clinical, "hawa", headers=only_b)
    assert total == 2 and sorted(found) == ids_b
    both = clinical.headers(facilities=(FACILITY_A, FACILITY_B))
    found, total = await _search(clinical, "hawa", headers=both)
    assert total == 5 and sorted(found) == sorted(ids_a + ids_b)
    everywhere = clinical.headers(facilities=(), all_facilities=True)
    assert (await _search(clinical, "idris hawa", headers=everywhere))[1] == 5
    nowhere = clinical.headers(facilities=())
    assert await _search(clinical, "hawa", headers=nowhere) == ([], 0)


async def test_renamed_patients_are_found_by_their_new_names_only(clinical: Clinical) -> None:
    patient = await clinical.register(given_name_en="Khadija", family_name_en="Babiker")
    answer = await clinical.client.patch(
        f"/api/v1/patients/{patient['id']}",
        json={"family_name_en": "Elsheikh", "given_name_ar": "خديجة"},
        headers=clinical.headers(),
    )
    assert answer.status_code == 200, answer.text
    assert await _search(clinical, "khadija babiker") == ([], 0)
    assert await _search(clinical, "khadija elsh") == ([patient["id"]], 1)
    assert await _search(clinical, "خديجه") == ([patient["id"]], 1)


async def test_a_merged_patient_is_found_by_name_only_with_include_merged(
    clinical: Clinical,
) -> None:
    survivor = await clinical.register(given_name_en="Amna", family_name_en="Yousif")
    duplicate = await clinical.register(given_name_en="Amna", family_name_en="Yousef")
    merged = await clinical.client.post(
        f"/api/v1/patients/{survivor['id']}/merge",
        json={"duplicate_id": duplicate["id"]},
        headers=clinical.headers(),
    )
    assert merged.status_code == 200, merged.text
    assert await _search(clinical, "amna you") == ([survivor["id"]], 1)
    found, total = await _search(clinical, "amna you", include_merged="true")
    assert total == 2 and sorted(found) == sorted([survivor["id"], duplicate["id"]])


def _bare_patient(
    facility_id: uuid.UUID, given: str, family: str, family_ar: str
) -> dict[str, Any]:
    now = utcnow()
    return {
        "id": uuid.uuid4(),
        "mrn": f"T-{uuid.uuid4().hex[:8]}",
        "facility_id": facility_id,
        "status": "active",
        "given_name_en": given,
        "family_name_en": family,
        "family_name_ar": family_ar,
        "name_en": f"{given} {family}".lower(),
        "sex": "female",
        "birth_date": now.date(),
        "preferred_language": "ar",
        "phone_enc": "-",
        "phone_hash": uuid.uuid4().hex,
        "address_enc": "-",
        "created_at": now,
        "updated_at": now,
    }


async def test_the_migration_gives_existing_patients_their_name_tokens(database_url: str) -> None:
    assert SERVICE.migrations is not None
    db = Database(database_url)
    try:
        await upgrade_database(db, SERVICE.migrations, "0001")
        rows = [
            _bare_patient(FACILITY_A, "Sara", "Mustafa", "مُصطفى"),
            _bare_patient(FACILITY_B, "Sara", "Adam", "آدم"),
        ]
        async with db.engine.begin() as conn:
            await conn.execute(insert(Patient.__table__), rows)
        await upgrade_database(db, SERVICE.migrations)
        async with db.session() as session:
            tokens = {
                (row.patient_id, row.token)
                for row in await session.scalars(select(PatientNameToken))
            }
            found, total = await repository.search_patients(
                session,
                FacilityScope(False, frozenset({FACILITY_A})),
                name_words=["sara", "مصط"],
                national_id_hash=None,
                phone_hash=None,
                birth_date=None,
                mrn=None,
                include_merged=False,
                limit=10,
                offset=0,
            )
    finally:
        await db.dispose()
    first, second = rows[0]["id"], rows[1]["id"]
    assert tokens == {
        (first, "sara"),
        (first, "mustafa"),
        (first, "مصطفي"),
        (second, "sara"),
        (second, "adam"),
        (second, "ادم"),
    }
    assert [p.id for p in found] == [first] and total == 1
