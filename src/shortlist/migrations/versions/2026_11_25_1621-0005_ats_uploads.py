"""uploaded resume files awaiting their parse job

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 16:21:40.300175
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ats_uploads",
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("file_type", sa.String(length=8), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_ats_uploads_owner_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ats_uploads")),
    )
    with op.batch_alter_table("ats_uploads", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ats_uploads_expires_at"), ["expires_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_ats_uploads_owner_id"), ["owner_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ats_uploads", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ats_uploads_owner_id"))
        batch_op.drop_index(batch_op.f("ix_ats_uploads_expires_at"))

    op.drop_table("ats_uploads")
