"""The business service's first tables, with the kernel's outbox, inbox and audit trail.

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


def upgrade() -> None:
    create_kernel_tables()
    op.create_table(
        "organizations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("name_ar", sa.String(200), nullable=True),
        sa.Column("registration_number", sa.String(64), nullable=False),
        sa.Column("phone", sa.String(16), nullable=True),
        sa.Column("email", sa.String(254), nullable=True),
        sa.Column("address", sa.String(500), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_organizations"),
        sa.UniqueConstraint("registration_number", name="uq_organizations_registration_number"),
    )
    op.create_table(
        "staff",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("facility_id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("full_name_en", sa.String(200), nullable=False),
        sa.Column("full_name_ar", sa.String(200), nullable=False),
        sa.Column("licence_number", sa.String(32), nullable=True),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organizations.id"], name="fk_staff_organization_id_organizations"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_staff"),
        sa.UniqueConstraint("kind", "licence_number", name="uq_staff_kind_licence_number"),
        sa.UniqueConstraint("user_id", name="uq_staff_user_id"),
    )
    op.create_index("ix_staff_facility_id", "staff", ["facility_id"])
    op.create_index("ix_staff_organization_id", "staff", ["organization_id"])
    op.create_table(
        "staff_specialties",
        sa.Column("staff_id", sa.Uuid(), nullable=False),
        sa.Column("specialty", sa.String(100), nullable=False),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name="fk_staff_specialties_staff_id_staff", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("staff_id", "specialty", name="pk_staff_specialties"),
    )
    op.create_table(
        "staff_departments",
        sa.Column("staff_id", sa.Uuid(), nullable=False),
        sa.Column("department_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name="fk_staff_departments_staff_id_staff", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("staff_id", "department_id", name="pk_staff_departments"),
    )
    op.create_index("ix_staff_departments_department_id", "staff_departments", ["department_id"])
    op.create_table(
        "staff_working_hours",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("staff_id", sa.Uuid(), nullable=False),
        sa.Column("facility_id", sa.Uuid(), nullable=False),
        sa.Column("weekday", sa.SmallInteger(), nullable=False),
        sa.Column("start_minute", sa.SmallInteger(), nullable=False),
        sa.Column("end_minute", sa.SmallInteger(), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name="fk_staff_working_hours_staff_id_staff",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_staff_working_hours"),
    )
    op.create_index("ix_staff_working_hours_staff_id", "staff_working_hours", ["staff_id"])
    op.create_index("ix_staff_working_hours_facility_id", "staff_working_hours", ["facility_id"])
    op.create_table(
        "staff_availability_exceptions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("staff_id", sa.Uuid(), nullable=False),
        sa.Column("facility_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("start_minute", sa.SmallInteger(), nullable=True),
        sa.Column("end_minute", sa.SmallInteger(), nullable=True),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("reason", sa.String(200), nullable=True),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name="fk_staff_availability_exceptions_staff_id_staff",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_staff_availability_exceptions"),
    )
    op.create_index(
        "ix_staff_availability_exceptions_staff_id", "staff_availability_exceptions", ["staff_id"]
    )
    op.create_index(
        "ix_staff_availability_exceptions_facility_id",
        "staff_availability_exceptions",
        ["facility_id"],
    )
    op.create_table(
        "charge_items",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("facility_id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("name_en", sa.String(200), nullable=False),
        sa.Column("name_ar", sa.String(200), nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("price_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("effective_to", sa.Date(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_charge_items"),
        sa.UniqueConstraint("facility_id", "code", name="uq_charge_items_facility_id_code"),
    )
    op.create_index("ix_charge_items_facility_id", "charge_items", ["facility_id"])
    op.create_index("ix_charge_items_category", "charge_items", ["category"])


def downgrade() -> None:
    for table in (
        "charge_items",
        "staff_availability_exceptions",
        "staff_working_hours",
        "staff_departments",
        "staff_specialties",
        "staff",
        "organizations",
    ):
        op.drop_table(table)
    drop_kernel_tables()
