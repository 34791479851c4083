"""Conversation events from the event stream (the cluster profile's RabbitMQ consumer).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "conversation_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.String(length=255), nullable=False),
        sa.Column("event_type", sa.String(length=64), nullable=False),
        sa.Column("timestamp", sa.Float(), nullable=False),
        sa.Column("action_name", sa.String(length=255), nullable=True),
        sa.Column("intent", sa.String(length=255), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversation_events")),
        sa.UniqueConstraint("sender_id", "digest", name="uq_conversation_events_once"),
    )
    op.create_index(
        op.f("ix_conversation_events_sender_id"), "conversation_events", ["sender_id"]
    )
    op.create_index(
        op.f("ix_conversation_events_timestamp"), "conversation_events", ["timestamp"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_conversation_events_timestamp"), table_name="conversation_events")
    op.drop_index(op.f("ix_conversation_events_sender_id"), table_name="conversation_events")
    op.drop_table("conversation_events")
