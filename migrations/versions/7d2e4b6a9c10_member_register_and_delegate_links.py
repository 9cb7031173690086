"""member register (status, code, contacts) and appointments before the Assembly

Revision ID: 7d2e4b6a9c10
Revises: 7d2b4e6f8a10
Create Date: 2026-11-30 01:20:00.000000

"""

import sqlalchemy as sa
from alembic import op

revision = "7d2e4b6a9c10"
down_revision = "7d2b4e6f8a10"
branch_labels = None
depends_on = None

STATUS = sa.Enum(
    "active", "suspended", "left", name="membershipstatus", native_enum=False, length=20
)


def upgrade():
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status", STATUS, nullable=False, server_default="active"))
        batch_op.add_column(sa.Column("code", sa.String(length=40), nullable=True))
        batch_op.create_index(batch_op.f("ix_memberships_code"), ["code"], unique=False)
    # Members whose membership has ended have left; the default served existing rows only.
    memberships = sa.table("memberships", sa.column("ended_on"), sa.column("status"))
    op.execute(
        memberships.update().where(memberships.c.ended_on.is_not(None)).values(status="left")
    )
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.alter_column("status", existing_type=STATUS, server_default=None)

    op.create_table(
        "organisation_contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("manager", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_organisation_contacts_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_organisation_contacts_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation_contacts")),
        sa.UniqueConstraint(
            "organisation_id",
            "user_id",
            name=op.f("uq_organisation_contacts_organisation_id_user_id"),
        ),
    )
    with op.batch_alter_table("organisation_contacts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_organisation_contacts_organisation_id"),
            ["organisation_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_organisation_contacts_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "assembly_preparations",
        sa.Column("assembly_id", sa.Integer(), nullable=False),
        sa.Column("weighted", sa.Boolean(), nullable=False),
        sa.Column("deadline", sa.DateTime(), nullable=True),
        sa.Column("register_synced_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assembly_id"],
            ["assemblies.id"],
            name=op.f("fk_assembly_preparations_assembly_id_assemblies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("assembly_id", name=op.f("pk_assembly_preparations")),
    )

    op.create_table(
        "delegate_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assembly_id", sa.Integer(), nullable=False),
        sa.Column("right_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_digest", sa.String(length=64), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.Column("reminded_at", sa.DateTime(), nullable=True),
        sa.Column("acted_at", sa.DateTime(), nullable=True),
        sa.Column("invited_email", sa.String(length=254), nullable=True),
        sa.ForeignKeyConstraint(
            ["assembly_id"],
            ["assemblies.id"],
            name=op.f("fk_delegate_links_assembly_id_assemblies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["right_id"],
            ["voting_rights.id"],
            name=op.f("fk_delegate_links_right_id_voting_rights"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_delegate_links_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delegate_links")),
        sa.UniqueConstraint("right_id", "user_id", name=op.f("uq_delegate_links_right_id_user_id")),
        sa.UniqueConstraint("token_digest", name=op.f("uq_delegate_links_token_digest")),
    )
    with op.batch_alter_table("delegate_links", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_delegate_links_assembly_id"), ["assembly_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_delegate_links_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("delegate_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_delegate_links_user_id"))
        batch_op.drop_index(batch_op.f("ix_delegate_links_assembly_id"))
    op.drop_table("delegate_links")
    op.drop_table("assembly_preparations")
    with op.batch_alter_table("organisation_contacts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisation_contacts_user_id"))
        batch_op.drop_index(batch_op.f("ix_organisation_contacts_organisation_id"))
    op.drop_table("organisation_contacts")
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_memberships_code"))
        batch_op.drop_column("code")
        batch_op.drop_column("status")
