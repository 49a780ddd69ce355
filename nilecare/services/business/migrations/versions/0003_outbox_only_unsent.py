"""The outbox keeps only what is still to go: the relay deletes a row once the bus has it, so the
rows it sent go, and with them published_at and its index.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from nilecare.kernel.db.migrations import outbox_keeps_only_unsent, outbox_keeps_sent_rows

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    outbox_keeps_only_unsent()


def downgrade() -> None:
    outbox_keeps_sent_rows()
