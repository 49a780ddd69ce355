"""Files built by tasks: patients' record exports and facilities' morbidity reports, their
content encrypted.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from nilecare.kernel.db.types import JSONDocument, LongText, UTCDateTime

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "file_jobs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("facility_id", sa.Uuid(), nullable=False),
        sa.Column("patient_id", sa.Uuid(), nullable=True),
        sa.Column("requested_by", sa.Uuid(), nullable=False),
        sa.Column("parameters", JSONDocument, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.String(500), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("claimed_at", UTCDateTime(), nullable=True),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
        sa.Column("expires_at", UTCDateTime(), nullable=True),
        sa.Column("content_enc", LongText, nullable=True),
        sa.Column("content_type", sa.String(100), nullable=True),
        sa.Column("filename", sa.String(200), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_file_jobs"),
    )
    op.create_index("ix_file_jobs_facility_id", "file_jobs", ["facility_id"])
    op.create_index("ix_file_jobs_patient_id", "file_jobs", ["patient_id"])
    op.create_index("ix_file_jobs_status_claimed_at", "file_jobs", ["status", "claimed_at"])
    op.create_index("ix_file_jobs_status_expires_at", "file_jobs", ["status", "expires_at"])


def downgrade() -> None:
    op.drop_table("file_jobs")
