"""secret ballots: one per unit of weight

Revision ID: a1116b3059ff
Revises: 0c658229d29f
Create Date: 2026-11-29 21:34:52.705957

"""

import sqlalchemy as sa
from alembic import op

revision = "a1116b3059ff"
down_revision = "0c658229d29f"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("ballots", schema=None) as batch_op:
        batch_op.add_column(sa.Column("members", sa.Integer(), server_default="1", nullable=False))


def downgrade():
    with op.batch_alter_table("ballots", schema=None) as batch_op:
        batch_op.drop_column("members")
