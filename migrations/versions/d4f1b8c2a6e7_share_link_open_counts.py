"""share links count their opens instead of a row (and an audit entry) per open

Revision ID: d4f1b8c2a6e7
Revises: c2e9a4b1f803
Create Date: 2026-11-29 17:45:00

"""
from alembic import op
import sqlalchemy as sa

import compliance.models.types


revision = 'd4f1b8c2a6e7'
down_revision = 'c2e9a4b1f803'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('share_links', schema=None) as batch_op:
        batch_op.add_column(sa.Column('open_count', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('last_opened_at', compliance.models.types.UTCDateTime(), nullable=True))
    # Opens logged before: counted, with the newest as the last.
    op.execute(
        "UPDATE share_links SET "
        "open_count = (SELECT COUNT(*) FROM share_link_opens o WHERE o.share_link_id = share_links.id), "
        "last_opened_at = (SELECT MAX(o.opened_at) FROM share_link_opens o WHERE o.share_link_id = share_links.id)"
    )


def downgrade():
    with op.batch_alter_table('share_links', schema=None) as batch_op:
        batch_op.drop_column('last_opened_at')
        batch_op.drop_column('open_count')
