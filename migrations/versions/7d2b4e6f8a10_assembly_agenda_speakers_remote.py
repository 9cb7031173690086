"""assembly: agenda items with documents, lists of speakers, remote attendance and its quorum setting

Revision ID: 7d2b4e6f8a10
Revises: 2e81d7773aff
Create Date: 2026-11-30 01:20:00.000000

"""

import sqlalchemy as sa
from alembic import op

import eventsys.db

revision = "7d2b4e6f8a10"
down_revision = "2e81d7773aff"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("assemblies", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "remote_counts_for_quorum", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )
    with op.batch_alter_table("assembly_attendance", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("mode", sa.String(length=10), server_default="hall", nullable=False)
        )
    op.create_table(
        "agenda_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assembly_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("motion_id", sa.Integer(), nullable=True),
        sa.Column("application_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("speaking_seconds", sa.Integer(), nullable=False),
        sa.Column("speakers_closed", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("opened_at", eventsys.db.UTCDateTime(), nullable=True),
        sa.Column("closed_at", eventsys.db.UTCDateTime(), nullable=True),
        sa.CheckConstraint("speaking_seconds >= 0", name=op.f("ck_agenda_items_speaking_seconds")),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["membership_applications.id"],
            name=op.f("fk_agenda_items_application_id_membership_applications"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["assembly_id"],
            ["assemblies.id"],
            name=op.f("fk_agenda_items_assembly_id_assemblies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["motion_id"],
            ["motions.id"],
            name=op.f("fk_agenda_items_motion_id_motions"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_items")),
    )
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.create_index("ix_agenda_items_assembly", ["assembly_id", "position"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_agenda_items_application_id"), ["application_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_agenda_items_motion_id"), ["motion_id"], unique=False)
    op.create_table(
        "agenda_speakers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.Column("requested_at", eventsys.db.UTCDateTime(), nullable=False),
        sa.Column("begun_at", eventsys.db.UTCDateTime(), nullable=True),
        sa.Column("ended_at", eventsys.db.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["agenda_items.id"],
            name=op.f("fk_agenda_speakers_item_id_agenda_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registrations.id"],
            name=op.f("fk_agenda_speakers_registration_id_registrations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_speakers")),
    )
    with op.batch_alter_table("agenda_speakers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agenda_speakers_item_id"), ["item_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_agenda_speakers_registration_id"), ["registration_id"], unique=False
        )
        batch_op.create_index(
            "uq_agenda_speakers_waiting",
            ["item_id", "registration_id"],
            unique=True,
            sqlite_where=sa.text("begun_at IS NULL"),
            postgresql_where=sa.text("begun_at IS NULL"),
        )
    op.create_table(
        "agenda_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("stored_name", sa.String(length=80), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_at", eventsys.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["agenda_items.id"],
            name=op.f("fk_agenda_documents_item_id_agenda_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_documents")),
        sa.UniqueConstraint("stored_name", name=op.f("uq_agenda_documents_stored_name")),
    )
    with op.batch_alter_table("agenda_documents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agenda_documents_item_id"), ["item_id"], unique=False)


def downgrade():
    op.drop_table("agenda_documents")
    op.drop_table("agenda_speakers")
    op.drop_table("agenda_items")
    with op.batch_alter_table("assembly_attendance", schema=None) as batch_op:
        batch_op.drop_column("mode")
    with op.batch_alter_table("assemblies", schema=None) as batch_op:
        batch_op.drop_column("remote_counts_for_quorum")
