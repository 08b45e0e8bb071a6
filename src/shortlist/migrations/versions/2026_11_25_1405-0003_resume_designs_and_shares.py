"""resume designs and shares

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 14:05:14.265339
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "resume_designs",
        sa.Column("resume_id", sa.Uuid(), nullable=False),
        sa.Column(
            "design",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["resume_id"],
            ["resumes.id"],
            name=op.f("fk_resume_designs_resume_id_resumes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("resume_id", name=op.f("pk_resume_designs")),
    )
    op.create_table(
        "resume_shares",
        sa.Column("resume_id", sa.Uuid(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("display_prefix", sa.String(length=16), nullable=False),
        sa.Column("formats", sa.JSON(), nullable=False),
        sa.Column("view_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_viewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["resume_id"], ["resumes.id"], name=op.f("fk_resume_shares_resume_id_resumes"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resume_shares")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_resume_shares_token_hash")),
    )
    with op.batch_alter_table("resume_shares", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_resume_shares_resume_id"), ["resume_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("resume_shares", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_resume_shares_resume_id"))

    op.drop_table("resume_shares")
    op.drop_table("resume_designs")
