from __future__ import annotations

import uuid

from sqlalchemy import Column, MetaData, Table, Uuid, select

from nilecare.kernel.auth.principal import Principal
from nilecare.kernel.db.scope import FacilityScope

ROWS = Table("rows", MetaData(), Column("facility_id", Uuid))


def principal(facilities: set[uuid.UUID], everywhere: bool = False) -> Principal:
    return Principal(
        uuid.uuid4(),
        None,
        frozenset(),
        frozenset(),
        frozenset(facilities),
        everywhere,
        None,
        "jti",
        0,
    )


def test_a_caller_without_facilities_sees_nothing() -> None:
    scope = FacilityScope.of(principal(set()))
    assert not scope.allows(uuid.uuid4())
    sql = str(select(ROWS).where(scope.condition(ROWS.c.facility_id)))
    assert "false" in sql.lower() or "1 != 1" in sql or "0 = 1" in sql


def test_a_caller_sees_only_its_facilities_and_cross_facility_roles_see_all() -> None:
    mine, other = uuid.uuid4(), uuid.uuid4()
    scope = FacilityScope.of(principal({mine}))
    assert scope.allows(mine)
    assert not scope.allows(other)
    assert not scope.allows(None)
    assert "IN" in str(select(ROWS).where(scope.condition(ROWS.c.facility_id)))
    assert FacilityScope.of(principal(set(), everywhere=True)).allows(other)
    assert not FacilityScope.of(None).allows(mine)
