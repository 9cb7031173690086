"""outbox rows may carry the values a worker renders the mail from

Revision ID: 7d41c2e8f9a0
Revises: 7d2e4b6c8a10
Create Date: 2026-11-30 01:20:00.000000

"""

import sqlalchemy as sa
from alembic import op

revision = "7d41c2e8f9a0"
down_revision = "7d2e4b6c8a10"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outbound_mails", schema=None) as batch_op:
        batch_op.add_column(sa.Column("render_values", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("outbound_mails", schema=None) as batch_op:
        batch_op.drop_column("render_values")
