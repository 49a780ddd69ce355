"""The outbox relay's index of unsent rows, in place of the plain index on published_at: its
claim reads only the oldest unsent rows, however many are sent or waiting.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from nilecare.kernel.db.migrations import index_unsent_outbox, unindex_unsent_outbox

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    index_unsent_outbox()


def downgrade() -> None:
    unindex_unsent_outbox()
