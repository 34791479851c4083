"""Support requests with their outbox state, handoffs with transcripts, quotes given.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "support_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sender_id", sa.String(length=255), nullable=False),
        sa.Column("contact_email", sa.String(length=320), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("transcript_text", sa.Text(), nullable=False),
        sa.Column("transcript_json", sa.Text(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=False),
        sa.Column("claimed_until", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("delivered_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_support_requests"),
        sa.UniqueConstraint("reference", name="uq_support_requests_reference"),
        sa.UniqueConstraint("idempotency_key", name="uq_support_requests_idempotency_key"),
    )
    op.create_index("ix_support_requests_sender_id", "support_requests", ["sender_id"])
    op.create_index("ix_support_requests_status", "support_requests", ["status"])
    op.create_table(
        "handoffs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sender_id", sa.String(length=255), nullable=False),
        sa.Column("reason", sa.String(length=64), nullable=False),
        sa.Column("transcript_text", sa.Text(), nullable=False),
        sa.Column("transcript_json", sa.Text(), nullable=False),
        sa.Column("support_request_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["support_request_id"],
            ["support_requests.id"],
            name="fk_handoffs_support_request_id",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_handoffs"),
    )
    op.create_index("ix_handoffs_sender_id", "handoffs", ["sender_id"])
    op.create_table(
        "quotes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sender_id", sa.String(length=255), nullable=False),
        sa.Column("service_id", sa.String(length=64), nullable=False),
        sa.Column("addon_ids", sa.Text(), nullable=False),
        sa.Column("days_to_expiry", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=32), nullable=False),
        sa.Column("fees", sa.Integer(), nullable=False),
        sa.Column("net", sa.BigInteger(), nullable=False),  # cents
        sa.Column("vat", sa.BigInteger(), nullable=False),  # cents
        sa.Column("total", sa.BigInteger(), nullable=False),  # cents
        sa.Column("renewal_required", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_quotes"),
    )
    op.create_index("ix_quotes_sender_id", "quotes", ["sender_id"])


def downgrade() -> None:
    op.drop_index("ix_quotes_sender_id", table_name="quotes")
    op.drop_table("quotes")
    op.drop_index("ix_handoffs_sender_id", table_name="handoffs")
    op.drop_table("handoffs")
    op.drop_index("ix_support_requests_status", table_name="support_requests")
    op.drop_index("ix_support_requests_sender_id", table_name="support_requests")
    op.drop_table("support_requests")
