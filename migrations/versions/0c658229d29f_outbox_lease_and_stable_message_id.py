"""outbox lease and stable message id

Revision ID: 0c658229d29f
Revises: ad9a6a289b05
Create Date: 2026-11-29 21:39:04.543015

"""
from alembic import op
import sqlalchemy as sa

import eventsys.db


# revision identifiers, used by Alembic.
revision = '0c658229d29f'
down_revision = 'ad9a6a289b05'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbound_mails', schema=None) as batch_op:
        batch_op.add_column(sa.Column('message_id', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('claimed_until', eventsys.db.UTCDateTime(), nullable=True))
    # Nullable: the previous release may still insert rows while the new one rolls out; rows
    # without one get a Message-ID when a worker claims them.


def downgrade():
    with op.batch_alter_table('outbound_mails', schema=None) as batch_op:
        batch_op.drop_column('claimed_until')
        batch_op.drop_column('message_id')
