"""Facilities, departments, wards, rooms and beds as places: create, read, list, validation and
facility isolation."""

from __future__ import annotations

import uuid

from tests.services.facility.conftest import Facility


async def test_a_cross_facility_admin_opens_a_facility_and_reads_it_back(
    facility: Facility,
) -> None:
    body = {
        "name": "Wad Medani Teaching Hospital",
        "code": "wmth",
        "kind": "hospital",
        "state": "Gezira",
        "locality": "Wad Medani",
        "phone": "0912 345 678",
    }
    created = await facility.client.post("/api/v1/facilities", json=body, headers=facility.admin)
    assert created.status_code == 201, created.text
    read = created.json()
    assert read["code"] == "WMTH" and read["state"] == "Gezira"
    assert read["phone"] == "+249912345678" and read["is_active"] is True
    got = await facility.client.get(f"/api/v1/facilities/{read['id']}", headers=facility.admin)
    assert got.status_code == 200 and got.json() == read
    rows = await facility.audit_rows("facility.facility.create")
    assert [row.resource_id for row in rows] == [read["id"]]


async def test_an_unknown_state_is_refused_with_a_problem_naming_the_state(
    facility: Facility,
) -> None:
    body = {
        "name": "Juba Clinic",
        "code": "JC",
        "kind": "clinic",
        "state": "Central Equatoria",
        "locality": "Juba",
    }
    answer = await facility.client.post("/api/v1/facilities", json=body, headers=facility.admin)
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert [error["field"] for error in answer.json()["errors"]] == ["state"]


async def test_a_phone_that_is_not_sudanese_is_refused_naming_the_phone(
    facility: Facility,
) -> None:
    body = {
        "name": "Kassala Clinic",
        "code": "KC",
        "kind": "clinic",
        "state": "Kassala",
        "locality": "Kassala",
        "phone": "+201001234567",
    }
    answer = await facility.client.post("/api/v1/facilities", json=body, headers=facility.admin)
    assert answer.status_code == 422
    assert [error["field"] for error in answer.json()["errors"]] == ["phone"]


async def test_a_duplicate_facility_code_is_a_conflict(facility: Facility) -> None:
    await facility.facility(code="DUP1")
    body = {"name": "Other", "code": "dup1", "kind": "clinic", "state": "Sennar", "locality": "X"}
    answer = await facility.client.post("/api/v1/facilities", json=body, headers=facility.admin)
    assert answer.status_code == 409 and answer.json()["field"] == "code"


async def test_a_facility_scoped_admin_cannot_open_a_facility_and_a_reader_cannot_manage(
    facility: Facility,
) -> None:
    own = await facility.facility()
    body = {"name": "New", "code": "NEW", "kind": "clinic", "state": "Sennar", "locality": "Sinja"}
    scoped = await facility.client.post(
        "/api/v1/facilities", json=body, headers=facility.headers((own,))
    )
    assert scoped.status_code == 403
    reader = facility.headers((own,), permissions=["facility.facility.read"])
    refused = await facility.client.post(
        "/api/v1/departments",
        json={"facility_id": str(own), "name": "Surgery", "code": "SURG"},
        headers=reader,
    )
    assert refused.status_code == 403
    assert await facility.audit_rows("facility.department.create") == []
    assert len(await facility.audit_rows("access.forbidden")) == 2


async def test_the_facility_list_shows_only_the_callers_facilities_with_matching_totals(
    facility: Facility,
) -> None:
    mine = await facility.facility(name="Alpha Hospital")
    await facility.facility(name="Beta Hospital")
    await facility.facility(name="Gamma Clinic")
    page = (
        await facility.client.get("/api/v1/facilities", headers=facility.headers((mine,)))
    ).json()
    assert [item["id"] for item in page["items"]] == [str(mine)] and page["total"] == 1
    everything = (await facility.client.get("/api/v1/facilities", headers=facility.admin)).json()
    assert everything["total"] == 3
    nobody = (await facility.client.get("/api/v1/facilities", headers=facility.headers())).json()
    assert nobody == {"items": [], "total": 0, "limit": 50, "offset": 0}


async def test_a_facility_update_changes_only_the_fields_given(facility: Facility) -> None:
    own = await facility.facility(name="Old Name", state="Khartoum")
    answer = await facility.client.patch(
        f"/api/v1/facilities/{own}",
        json={"name": "New Name", "state": "River Nile"},
        headers=facility.headers((own,)),
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["name"] == "New Name" and answer.json()["state"] == "River Nile"
    assert answer.json()["locality"] == "Bahri"
    bad = await facility.client.patch(
        f"/api/v1/facilities/{own}", json={"state": "Atlantis"}, headers=facility.headers((own,))
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "state"


async def test_structure_is_created_and_listed_under_its_facility(facility: Facility) -> None:
    ward = await facility.ward(beds=2)
    headers = facility.headers((ward.facility_id,))
    departments = (
        await facility.client.get(
            "/api/v1/departments", params={"facility_id": str(ward.facility_id)}, headers=headers
        )
    ).json()
    assert [d["code"] for d in departments["items"]] == ["IM"]
    wards = (
        await facility.client.get(
            "/api/v1/wards",
            params={"department_id": departments["items"][0]["id"]},
            headers=headers,
        )
    ).json()
    assert [w["id"] for w in wards["items"]] == [str(ward.ward_id)]
    rooms = (
        await facility.client.get(
            "/api/v1/rooms", params={"ward_id": str(ward.ward_id)}, headers=headers
        )
    ).json()
    assert rooms["total"] == 1 and rooms["items"][0]["facility_id"] == str(ward.facility_id)
    beds = (
        await facility.client.get(
            "/api/v1/beds", params={"ward_id": str(ward.ward_id)}, headers=headers
        )
    ).json()
    assert [b["label"] for b in beds["items"]] == ["B1", "B2"]
    assert {b["status"] for b in beds["items"]} == {"available"}
    assert len(await facility.audit_rows("facility.bed.create")) == 2


async def test_duplicate_codes_and_labels_within_a_parent_are_conflicts(
    facility: Facility,
) -> None:
    ward = await facility.ward(beds=1)
    headers = facility.headers((ward.facility_id,))
    again = await facility.client.post(
        "/api/v1/beds", json={"ward_id": str(ward.ward_id), "label": "B1"}, headers=headers
    )
    assert again.status_code == 409 and again.json()["field"] == "label"
    department = await facility.client.post(
        "/api/v1/departments",
        json={"facility_id": str(ward.facility_id), "name": "Again", "code": "im"},
        headers=headers,
    )
    assert department.status_code == 409 and department.json()["field"] == "code"


async def test_a_ward_cannot_hang_under_another_facilitys_department(
    facility: Facility,
) -> None:
    first = await facility.ward(beds=0)
    second = await facility.facility()
    departments = (
        await facility.client.get(
            "/api/v1/departments",
            params={"facility_id": str(first.facility_id)},
            headers=facility.admin,
        )
    ).json()
    answer = await facility.client.post(
        "/api/v1/wards",
        json={
            "facility_id": str(second),
            "department_id": departments["items"][0]["id"],
            "name": "Stray",
            "code": "STRAY",
        },
        headers=facility.admin,
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "department_id"


async def test_another_facilitys_structure_by_id_is_not_found_and_lists_do_not_leak(
    facility: Facility,
) -> None:
    theirs = await facility.ward(beds=1)
    mine = await facility.ward(beds=1)
    headers = facility.headers((mine.facility_id,))
    room_id = (
        await facility.client.get(
            "/api/v1/rooms", params={"ward_id": str(theirs.ward_id)}, headers=facility.admin
        )
    ).json()["items"][0]["id"]
    for path in (
        f"/api/v1/facilities/{theirs.facility_id}",
        f"/api/v1/wards/{theirs.ward_id}",
        f"/api/v1/wards/{theirs.ward_id}/occupancy",
        f"/api/v1/rooms/{room_id}",
        f"/api/v1/beds/{theirs.bed_ids[0]}",
    ):
        answer = await facility.client.get(path, headers=headers)
        assert answer.status_code == 404, path
    # Building into their ward or facility is refused the same way.
    bed = await facility.client.post(
        "/api/v1/beds", json={"ward_id": str(theirs.ward_id), "label": "X"}, headers=headers
    )
    assert bed.status_code == 404
    department = await facility.client.post(
        "/api/v1/departments",
        json={"facility_id": str(theirs.facility_id), "name": "X", "code": "X"},
        headers=headers,
    )
    assert department.status_code == 404
    for path, params in (
        ("/api/v1/departments", {}),
        ("/api/v1/wards", {}),
        ("/api/v1/rooms", {}),
        ("/api/v1/beds", {}),
        ("/api/v1/wards", {"facility_id": str(theirs.facility_id)}),
        ("/api/v1/beds", {"ward_id": str(theirs.ward_id)}),
    ):
        page = (await facility.client.get(path, params=params, headers=headers)).json()
        facility_ids = {item["facility_id"] for item in page["items"]}
        assert facility_ids <= {str(mine.facility_id)}, path
        assert page["total"] == len(page["items"]), path
    unknown = await facility.client.get(f"/api/v1/beds/{uuid.uuid4()}", headers=headers)
    assert unknown.status_code == 404
