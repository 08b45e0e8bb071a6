"""organisation API keys and OAuth clients, the candidate-data access log, organisation webhook endpoints

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 23:10:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "organization_api_keys",
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("display_prefix", sa.String(length=16), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_organization_api_keys_created_by_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_organization_api_keys_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organization_api_keys")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_organization_api_keys_key_hash")),
    )
    with op.batch_alter_table("organization_api_keys", schema=None) as batch_op:
        batch_op.create_index(
            "ix_organization_api_keys_org_created", ["organization_id", "created_at", "id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_organization_api_keys_created_by"), ["created_by"], unique=False)

    op.create_table(
        "candidate_data_access",
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("credential", sa.String(length=32), nullable=False),
        sa.Column("credential_id", sa.Uuid(), nullable=True),
        sa.Column("action", sa.String(length=50), nullable=False),
        sa.Column("posting_id", sa.Uuid(), nullable=True),
        sa.Column("application_id", sa.Uuid(), nullable=True),
        sa.Column("person_id", sa.Uuid(), nullable=True),
        sa.Column("request_id", sa.String(length=128), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_candidate_data_access")),
    )
    with op.batch_alter_table("candidate_data_access", schema=None) as batch_op:
        batch_op.create_index(
            "ix_candidate_data_access_org_created", ["organization_id", "created_at", "id"], unique=False
        )
        batch_op.create_index("ix_candidate_data_access_created", ["created_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_candidate_data_access_application_id"), ["application_id"], unique=False
        )

    with op.batch_alter_table("oauth_clients", schema=None) as batch_op:
        batch_op.add_column(sa.Column("created_by", sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_oauth_clients_created_by_users"),
            "users",
            ["created_by"],
            ["id"],
            ondelete="CASCADE",
        )

    with op.batch_alter_table("webhook_endpoints", schema=None) as batch_op:
        batch_op.add_column(sa.Column("organization_id", sa.Uuid(), nullable=True))
        batch_op.alter_column("owner_id", existing_type=sa.Uuid(), nullable=True)
        batch_op.create_foreign_key(
            batch_op.f("fk_webhook_endpoints_organization_id_organizations"),
            "organizations",
            ["organization_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_check_constraint("one_owner", "(owner_id IS NULL) <> (organization_id IS NULL)")
        batch_op.create_index(
            "ix_webhook_endpoints_org_created", ["organization_id", "created_at", "id"], unique=False
        )

    with op.batch_alter_table("webhook_deliveries", schema=None) as batch_op:
        batch_op.alter_column("owner_id", existing_type=sa.Uuid(), nullable=True)


def downgrade() -> None:
    # Organisation-owned rows have no account to fall back to: they go.
    op.execute("DELETE FROM webhook_deliveries WHERE owner_id IS NULL")
    op.execute("DELETE FROM webhook_endpoints WHERE organization_id IS NOT NULL")
    op.execute("DELETE FROM oauth_clients WHERE organization_id IS NOT NULL")
    with op.batch_alter_table("webhook_deliveries", schema=None) as batch_op:
        batch_op.alter_column("owner_id", existing_type=sa.Uuid(), nullable=False)

    with op.batch_alter_table("webhook_endpoints", schema=None) as batch_op:
        batch_op.drop_index("ix_webhook_endpoints_org_created")
        batch_op.drop_constraint(batch_op.f("ck_webhook_endpoints_one_owner"), type_="check")
        batch_op.drop_constraint(
            batch_op.f("fk_webhook_endpoints_organization_id_organizations"), type_="foreignkey"
        )
        batch_op.alter_column("owner_id", existing_type=sa.Uuid(), nullable=False)
        batch_op.drop_column("organization_id")

    with op.batch_alter_table("oauth_clients", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_oauth_clients_created_by_users"), type_="foreignkey")
        batch_op.drop_column("created_by")

    with op.batch_alter_table("candidate_data_access", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_candidate_data_access_application_id"))
        batch_op.drop_index("ix_candidate_data_access_created")
        batch_op.drop_index("ix_candidate_data_access_org_created")
    op.drop_table("candidate_data_access")

    with op.batch_alter_table("organization_api_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organization_api_keys_created_by"))
        batch_op.drop_index("ix_organization_api_keys_org_created")
    op.drop_table("organization_api_keys")
