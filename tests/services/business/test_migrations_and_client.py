"""The Alembic history builds exactly the models' schema; the typed client works in-process."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect

from nilecare.contracts.business.client import BusinessClient
from nilecare.contracts.business.schemas import StaffKind
from nilecare.kernel.db.engine import Database
from nilecare.kernel.db.migrations import current_revision, head_revision, upgrade_database
from nilecare.kernel.http.client import UpstreamProblem
from nilecare.services.business.app import SERVICE
from nilecare.services.business.models import metadata
from tests.services.business.conftest import FACILITY_A, FACILITY_B, Business


def _downgrade_to_base(connection: Connection, script_location: Path) -> None:
    config = Config()
    config.set_main_option("script_location", str(script_location))
    config.attributes["connection"] = connection
    command.downgrade(config, "base")


def _differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, metadata))


async def test_the_migration_creates_exactly_the_models_schema(database_url: str) -> None:
    assert SERVICE.migrations is not None
    db = Database(database_url)
    try:
        await upgrade_database(db, SERVICE.migrations)
        assert await current_revision(db) == head_revision(SERVICE.migrations) == "0001"
        async with db.engine.connect() as conn:
            assert await conn.run_sync(_differences) == []
        async with db.engine.begin() as conn:
            await conn.run_sync(_downgrade_to_base, SERVICE.migrations)
        async with db.engine.connect() as conn:
            tables = await conn.run_sync(lambda c: inspect(c).get_table_names())
        assert set(tables) <= {"alembic_version"}
        await upgrade_database(db, SERVICE.migrations)
    finally:
        await db.dispose()


async def test_the_typed_client_reads_staff_availability_and_charges_from_the_real_app(
    business: Business,
) -> None:
    manager = business.headers((FACILITY_A, FACILITY_B))
    doctor = await business.create_staff(
        manager, specialties=["Paediatrics"], full_name_en="Dr. Omer Hassan"
    )
    await business.create_staff(manager, kind="nurse", licence_number="SNMC-77", specialties=[])
    hours = await business.client.post(
        f"/api/v1/staff/{doctor['id']}/working-hours",
        json={"weekday": 6, "start_time": "08:00", "end_time": "14:00"},
        headers=manager,
    )
    assert hours.status_code == 201, hours.text
    item = await business.client.post(
        "/api/v1/charge-items",
        json={
            "facility_id": str(FACILITY_A),
            "code": "cons-gp",
            "name_en": "General consultation",
            "name_ar": "استشارة طبيب عام",
            "category": "consultation",
            "price_minor": 1_500_000,
        },
        headers=manager,
    )
    assert item.status_code == 201, item.text

    client = BusinessClient(business.svc.platform.directory.client("business"))
    token = business.token((FACILITY_A,))
    staff = await client.get_staff(doctor["id"], token=token)
    assert staff.full_name_en == "Dr. Omer Hassan" and staff.specialties == ["Paediatrics"]
    page = await client.list_staff(kind=StaffKind.DOCTOR, specialty="paediatrics", token=token)
    assert page.total == 1 and page.items[0].id == staff.id
    availability = await client.staff_availability(
        staff.id, date(2026, 11, 22), date(2026, 11, 28), token=token
    )
    assert [(w.start.hour, w.end.hour) for w in availability.windows] == [(6, 12)]
    assert availability.windows[0].start_local.hour == 8
    charge = await client.get_charge_item(item.json()["id"], token=token)
    assert (charge.code, charge.price_minor, charge.currency) == ("CONS-GP", 1_500_000, "SDG")
    found = await client.list_charge_items(code="cons-gp", token=token)
    assert [i.id for i in found.items] == [charge.id]

    outsider = business.token((FACILITY_B,))
    with pytest.raises(UpstreamProblem) as missing:
        await client.get_staff(staff.id, token=outsider)
    assert missing.value.status == 404
