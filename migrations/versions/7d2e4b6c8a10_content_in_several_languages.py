"""content in several languages: per-language versions of programme, question and assembly texts

Each new column is a JSON object {locale: text} next to the default-language column, read through
`eventsys.i18n.localized(obj, field)`; existing rows start with no versions ({}).

Revision ID: 7d2e4b6c8a10
Revises: 7d2e4b6a9c10
Create Date: 2026-11-30 01:10:00.000000

"""

import sqlalchemy as sa
from alembic import op

revision = "7d2e4b6c8a10"
down_revision = "7d2e4b6a9c10"
branch_labels = None
depends_on = None

COLUMNS = {
    "programme_rooms": ["name_translations"],
    "programme_tracks": ["name_translations"],
    "programme_sessions": ["title_translations", "description_translations"],
    "questions": ["options_translations"],
    "assemblies": ["title_translations"],
    "motions": ["title_translations", "text_translations"],
}


def upgrade():
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.add_column(
                    sa.Column(column, sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
                )


def downgrade():
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in reversed(columns):
                batch_op.drop_column(column)
