"""The ward of an inpatient's bed on the encounter (kept from the facility service's
bed.assigned events), so vital signs name the ward without a call.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from nilecare.kernel.db.types import UTCDateTime

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("encounters") as batch:
        batch.add_column(sa.Column("ward_id", sa.Uuid(), nullable=True))
        batch.add_column(sa.Column("bed_assigned_at", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("encounters") as batch:
        batch.drop_column("bed_assigned_at")
        batch.drop_column("ward_id")
