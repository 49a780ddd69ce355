"""The clinical service's first tables, with the kernel's outbox, inbox and audit trail.

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


def _row_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    ]


def upgrade() -> None:
    create_kernel_tables()
    op.create_table(
        "mrn_counters",
        sa.Column("facility_id", sa.Uuid(), nullable=False),
        sa.Column("last_value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("facility_id", name="pk_mrn_counters"),
    )
    op.create_table(
        "patients",
        sa.Column("mrn", sa.String(32), nullable=False),
        sa.Column("facility_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("merged_into_id", sa.Uuid(), nullable=True),
        sa.Column("given_name_en", sa.String(100), nullable=False),
        sa.Column("family_name_en", sa.String(100), nullable=False),
        sa.Column("given_name_ar", sa.String(100), nullable=True),
        sa.Column("family_name_ar", sa.String(100), nullable=True),
        sa.Column("name_en", sa.String(201), nullable=False),
        sa.Column("name_ar", sa.String(201), nullable=True),
        sa.Column("sex", sa.String(16), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("preferred_language", sa.String(2), nullable=False),
        sa.Column("national_id_enc", sa.String(255), nullable=True),
        sa.Column("national_id_hash", sa.String(64), nullable=True),
        sa.Column("phone_enc", sa.String(255), nullable=False),
        sa.Column("phone_hash", sa.String(64), nullable=False),
        sa.Column("alternate_phone_enc", sa.String(255), nullable=True),
        sa.Column("alternate_phone_hash", sa.String(64), nullable=True),
        sa.Column("address_enc", sa.Text(), nullable=False),
        sa.Column("emergency_contact_enc", sa.Text(), nullable=True),
        sa.Column("seed_key", sa.String(64), nullable=True),
        *_row_columns(),
        sa.PrimaryKeyConstraint("id", name="pk_patients"),
        sa.UniqueConstraint("facility_id", "mrn", name="uq_patients_facility_id_mrn"),
        sa.UniqueConstraint("seed_key", name="uq_patients_seed_key"),
    )
    op.create_index("ix_patients_mrn", "patients", ["mrn"])
    op.create_index("ix_patients_alternate_phone_hash", "patients", ["alternate_phone_hash"])
    op.create_index("ix_patients_facility_id_birth_date", "patients", ["facility_id", "birth_date"])
    op.create_index("ix_patients_facility_id_name_ar", "patients", ["facility_id", "name_ar"])
    op.create_index("ix_patients_facility_id_name_en", "patients", ["facility_id", "name_en"])
    op.create_index("ix_patients_national_id_hash", "patients", ["national_id_hash"])
    op.create_index("ix_patients_phone_hash", "patients", ["phone_hash"])
    op.create_table(
        "encounters",
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("facility_id", sa.Uuid(), nullable=False),
        sa.Column("encounter_class", sa.String(16), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("reason", sa.String(500), nullable=True),
        sa.Column("bed_id", sa.Uuid(), nullable=True),
        sa.Column("holds_bed", sa.Boolean(), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=True),
        sa.Column("ended_at", UTCDateTime(), nullable=True),
        *_row_columns(),
        sa.PrimaryKeyConstraint("id", name="pk_encounters"),
    )
    op.create_index("ix_encounters_facility_id", "encounters", ["facility_id"])
    op.create_index("ix_encounters_patient_id", "encounters", ["patient_id"])
    op.create_table(
        "diagnoses",
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("facility_id", sa.Uuid(), nullable=False),
        sa.Column("encounter_id", sa.Uuid(), nullable=True),
        sa.Column("code_system", sa.String(100), nullable=False),
        sa.Column("code_system_version", sa.String(32), nullable=False),
        sa.Column("code", sa.String(10), nullable=False),
        sa.Column("display", sa.String(300), nullable=False),
        sa.Column("clinical_status", sa.String(16), nullable=False),
        sa.Column("verification_status", sa.String(20), nullable=False),
        sa.Column("onset_date", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        *_row_columns(),
        sa.PrimaryKeyConstraint("id", name="pk_diagnoses"),
    )
    op.create_index("ix_diagnoses_facility_id", "diagnoses", ["facility_id"])
    op.create_index("ix_diagnoses_patient_id", "diagnoses", ["patient_id"])
    op.create_table(
        "allergies",
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("facility_id", sa.Uuid(), nullable=False),
        sa.Column("substance", sa.String(200), nullable=False),
        sa.Column("substance_code", sa.String(64), nullable=True),
        sa.Column("substance_system", sa.String(200), nullable=True),
        sa.Column("allergy_class", sa.String(16), nullable=False),
        sa.Column("reaction", sa.String(500), nullable=True),
        sa.Column("severity", sa.String(16), nullable=True),
        sa.Column("criticality", sa.String(20), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        *_row_columns(),
        sa.PrimaryKeyConstraint("id", name="pk_allergies"),
    )
    op.create_index("ix_allergies_facility_id", "allergies", ["facility_id"])
    op.create_index("ix_allergies_patient_id", "allergies", ["patient_id"])
    op.create_table(
        "vital_signs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("facility_id", sa.Uuid(), nullable=False),
        sa.Column("encounter_id", sa.Uuid(), nullable=True),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("recorded_by", sa.Uuid(), nullable=True),
        sa.Column("heart_rate", sa.Float(), nullable=True),
        sa.Column("systolic_bp", sa.Float(), nullable=True),
        sa.Column("diastolic_bp", sa.Float(), nullable=True),
        sa.Column("spo2", sa.Float(), nullable=True),
        sa.Column("temperature", sa.Float(), nullable=True),
        sa.Column("respiratory_rate", sa.Float(), nullable=True),
        sa.Column("weight", sa.Float(), nullable=True),
        sa.Column("height", sa.Float(), nullable=True),
        sa.Column("critical", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_vital_signs"),
    )
    op.create_index("ix_vital_signs_facility_id", "vital_signs", ["facility_id"])
    op.create_index(
        "ix_vital_signs_patient_id_recorded_at", "vital_signs", ["patient_id", "recorded_at"]
    )
    op.create_table(
        "immunizations",
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("facility_id", sa.Uuid(), nullable=False),
        sa.Column("encounter_id", sa.Uuid(), nullable=True),
        sa.Column("vaccine_code", sa.String(32), nullable=True),
        sa.Column("vaccine_system", sa.String(200), nullable=True),
        sa.Column("vaccine_name", sa.String(200), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("dose_number", sa.Integer(), nullable=False),
        sa.Column("lot_number", sa.String(64), nullable=True),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        *_row_columns(),
        sa.PrimaryKeyConstraint("id", name="pk_immunizations"),
    )
    op.create_index("ix_immunizations_facility_id", "immunizations", ["facility_id"])
    op.create_index("ix_immunizations_patient_id", "immunizations", ["patient_id"])


def downgrade() -> None:
    for table in ("immunizations", "vital_signs", "allergies", "diagnoses", "encounters", "patients"):
        op.drop_table(table)
    op.drop_table("mrn_counters")
    drop_kernel_tables()
