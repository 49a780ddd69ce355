"""The notification service's first tables: requests, notifications, deliveries, preferences
and Web Push subscriptions, with the kernel's outbox, inbox and audit trail.

Revision ID: 0001
Revises:
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from nilecare.kernel.db.migrations import create_kernel_tables, drop_kernel_tables
from nilecare.kernel.db.types import JSONDocument, UTCDateTime

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_kernel_tables()
    op.create_table(
        "notification_requests",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("source_event_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("reference", sa.String(80), nullable=True),
        sa.Column("facility_id", sa.Uuid(), nullable=True),
        sa.Column("payload", JSONDocument, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("due_at", UTCDateTime(), nullable=False),
        sa.Column("claimed_at", UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.String(200), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_notification_requests"),
        sa.UniqueConstraint("source_event_id", name="uq_notification_requests_source_event_id"),
    )
    op.create_index(
        "ix_notification_requests_status_due_at", "notification_requests", ["status", "due_at"]
    )
    op.create_index("ix_notification_requests_reference", "notification_requests", ["reference"])
    op.create_table(
        "notifications",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("source_event_id", sa.Uuid(), nullable=False),
        sa.Column("recipient", sa.String(80), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("patient_id", sa.Uuid(), nullable=True),
        sa.Column("facility_id", sa.Uuid(), nullable=True),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("reference", sa.String(80), nullable=True),
        sa.Column("in_app", sa.Boolean(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("body_enc", sa.Text(), nullable=False),
        sa.Column("context_enc", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("read_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_notifications"),
        sa.UniqueConstraint(
            "source_event_id",
            "recipient",
            "kind",
            name="uq_notifications_source_event_id_recipient_kind",
        ),
    )
    op.create_index(
        "ix_notifications_user_id_in_app_created_at",
        "notifications",
        ["user_id", "in_app", "created_at"],
    )
    op.create_index("ix_notifications_reference", "notifications", ["reference"])
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("notification_id", sa.Uuid(), nullable=False),
        sa.Column("channel", sa.String(8), nullable=False),
        sa.Column("address_enc", sa.Text(), nullable=False),
        sa.Column("address_hint", sa.String(120), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("provider", sa.String(40), nullable=True),
        sa.Column("provider_message_id", sa.String(200), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("due_at", UTCDateTime(), nullable=False),
        sa.Column("claimed_at", UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.String(200), nullable=True),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.Column("delivered_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notifications.id"],
            name="fk_deliveries_notification_id_notifications",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_deliveries"),
    )
    op.create_index("ix_deliveries_status_due_at", "deliveries", ["status", "due_at"])
    op.create_index("ix_deliveries_notification_id", "deliveries", ["notification_id"])
    op.create_index("ix_deliveries_provider_message_id", "deliveries", ["provider_message_id"])
    op.create_table(
        "preferences",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("email", sa.Boolean(), nullable=False),
        sa.Column("sms", sa.Boolean(), nullable=False),
        sa.Column("push", sa.Boolean(), nullable=False),
        sa.Column("quiet_start", sa.String(5), nullable=True),
        sa.Column("quiet_end", sa.String(5), nullable=True),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name="pk_preferences"),
    )
    op.create_table(
        "push_subscriptions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("endpoint_digest", sa.String(64), nullable=False),
        sa.Column("endpoint", sa.Text(), nullable=False),
        sa.Column("subscription_enc", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_push_subscriptions"),
        sa.UniqueConstraint("endpoint_digest", name="uq_push_subscriptions_endpoint_digest"),
    )
    op.create_index("ix_push_subscriptions_user_id", "push_subscriptions", ["user_id"])


def downgrade() -> None:
    for table in (
        "push_subscriptions",
        "preferences",
        "deliveries",
        "notifications",
        "notification_requests",
    ):
        op.drop_table(table)
    drop_kernel_tables()
