"""The facility service's first tables, with the kernel's outbox, inbox and audit trail.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from nilecare.kernel.db.migrations import create_kernel_tables, drop_kernel_tables
from nilecare.kernel.db.types import UTCDateTime

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamps() -> list[sa.Column[object]]:
    return [
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    ]


def upgrade() -> None:
    create_kernel_tables()
    op.create_table(
        "facilities",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("state", sa.String(32), nullable=False),
        sa.Column("locality", sa.String(200), nullable=False),
        sa.Column("phone", sa.String(20), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_facilities"),
        sa.UniqueConstraint("code", name="uq_facilities_code"),
    )
    op.create_table(
        "departments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("facility_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("code", sa.String(32), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["facility_id"], ["facilities.id"], name="fk_departments_facility_id_facilities"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_departments"),
        sa.UniqueConstraint("facility_id", "code", name="uq_departments_facility_id_code"),
    )
    op.create_index("ix_departments_facility_id", "departments", ["facility_id"])
    op.create_table(
        "wards",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("facility_id", sa.Uuid(), nullable=False),
        sa.Column("department_id", sa.Uuid(), nullable=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("code", sa.String(32), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["facility_id"], ["facilities.id"], name="fk_wards_facility_id_facilities"
        ),
        sa.ForeignKeyConstraint(
            ["department_id"], ["departments.id"], name="fk_wards_department_id_departments"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_wards"),
        sa.UniqueConstraint("facility_id", "code", name="uq_wards_facility_id_code"),
    )
    op.create_index("ix_wards_facility_id", "wards", ["facility_id"])
    op.create_index("ix_wards_department_id", "wards", ["department_id"])
    op.create_table(
        "rooms",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("facility_id", sa.Uuid(), nullable=False),
        sa.Column("ward_id", sa.Uuid(), nullable=False),
        sa.Column("label", sa.String(64), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(["ward_id"], ["wards.id"], name="fk_rooms_ward_id_wards"),
        sa.PrimaryKeyConstraint("id", name="pk_rooms"),
        sa.UniqueConstraint("ward_id", "label", name="uq_rooms_ward_id_label"),
    )
    op.create_index("ix_rooms_facility_id", "rooms", ["facility_id"])
    op.create_index("ix_rooms_ward_id", "rooms", ["ward_id"])
    op.create_table(
        "beds",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("facility_id", sa.Uuid(), nullable=False),
        sa.Column("ward_id", sa.Uuid(), nullable=False),
        sa.Column("room_id", sa.Uuid(), nullable=True),
        sa.Column("label", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("patient_id", sa.Uuid(), nullable=True),
        sa.Column("encounter_id", sa.Uuid(), nullable=True),
        sa.Column("status_changed_at", UTCDateTime(), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(["ward_id"], ["wards.id"], name="fk_beds_ward_id_wards"),
        sa.ForeignKeyConstraint(["room_id"], ["rooms.id"], name="fk_beds_room_id_rooms"),
        sa.PrimaryKeyConstraint("id", name="pk_beds"),
        sa.UniqueConstraint("ward_id", "label", name="uq_beds_ward_id_label"),
    )
    op.create_index("ix_beds_facility_id_status", "beds", ["facility_id", "status"])
    op.create_index("ix_beds_ward_id", "beds", ["ward_id"])
    op.create_index("ix_beds_room_id", "beds", ["room_id"])
    op.create_table(
        "bed_assignments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("facility_id", sa.Uuid(), nullable=False),
        sa.Column("bed_id", sa.Uuid(), nullable=False),
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("encounter_id", sa.Uuid(), nullable=False),
        sa.Column("assigned_at", UTCDateTime(), nullable=False),
        sa.Column("released_at", UTCDateTime(), nullable=True),
        sa.Column("release_reason", sa.String(16), nullable=True),
        sa.ForeignKeyConstraint(["bed_id"], ["beds.id"], name="fk_bed_assignments_bed_id_beds"),
        sa.PrimaryKeyConstraint("id", name="pk_bed_assignments"),
    )
    for column in ("facility_id", "bed_id", "patient_id", "encounter_id"):
        op.create_index(f"ix_bed_assignments_{column}", "bed_assignments", [column])


def downgrade() -> None:
    for table in ("bed_assignments", "beds", "rooms", "wards", "departments", "facilities"):
        op.drop_table(table)
    drop_kernel_tables()
