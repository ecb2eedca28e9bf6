"""facilitator web: usual slot, check-out reveal, host slip reason

Revision ID: 4d2c2d0c32e1
Revises: bb41aa356a74
Create Date: 2026-11-21 16:07:02.391889

"""
from alembic import op
import sqlalchemy as sa

import compliance.models.types


# revision identifiers, used by Alembic.
revision = '4d2c2d0c32e1'
down_revision = 'bb41aa356a74'
branch_labels = None
depends_on = None


def upgrade():
    # Reviewed: nullable additions only; existing rows need no backfill.
    with op.batch_alter_table('meeting_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('checkout_revealed_at', compliance.models.types.UTCDateTime(), nullable=True))

    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('usual_start', sa.Time(), nullable=True))
        batch_op.add_column(sa.Column('usual_minutes', sa.Integer(), nullable=True))

    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('host_slip_reason', sa.String(length=500), nullable=True))



def downgrade():
    # Reviewed: nullable additions only; existing rows need no backfill.
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_column('host_slip_reason')

    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('usual_minutes')
        batch_op.drop_column('usual_start')

    with op.batch_alter_table('meeting_sessions', schema=None) as batch_op:
        batch_op.drop_column('checkout_revealed_at')

