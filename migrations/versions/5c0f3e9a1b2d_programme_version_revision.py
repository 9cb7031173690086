"""programme versions carry a revision, the key of the caches built from their snapshot

Revision ID: 5c0f3e9a1b2d
Revises: a1116b3059ff
Create Date: 2026-11-29 22:50:00.000000

"""

import uuid

import sqlalchemy as sa
from alembic import op

revision = "5c0f3e9a1b2d"
down_revision = "a1116b3059ff"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("programme_versions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revision", sa.String(length=32), nullable=True))
    versions = sa.table("programme_versions", sa.column("id", sa.Integer), sa.column("revision"))
    connection = op.get_bind()
    for (version_id,) in connection.execute(sa.select(versions.c.id)).all():
        connection.execute(
            versions.update()
            .where(versions.c.id == version_id)
            .values(revision=uuid.uuid4().hex)
        )
    with op.batch_alter_table("programme_versions", schema=None) as batch_op:
        batch_op.alter_column("revision", existing_type=sa.String(length=32), nullable=False)


def downgrade():
    with op.batch_alter_table("programme_versions", schema=None) as batch_op:
        batch_op.drop_column("revision")
