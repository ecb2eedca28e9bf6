"""weekly meetings: the day a meeting repeats on, sessions per occurrence, skipped weeks

Revision ID: c2e9a4b1f803
Revises: b7d0c3a5e196
Create Date: 2026-11-29 17:20:00

"""
from alembic import op
import sqlalchemy as sa

import compliance.models.types


revision = 'c2e9a4b1f803'
down_revision = 'b7d0c3a5e196'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('skipped_occurrences',
    sa.Column('meeting_id', sa.String(length=32), nullable=False),
    sa.Column('on_date', sa.Date(), nullable=False),
    sa.Column('created_at', compliance.models.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_skipped_occurrences_meeting_id_meetings')),
    sa.PrimaryKeyConstraint('meeting_id', 'on_date', name=op.f('pk_skipped_occurrences'))
    )
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('weekly_day', sa.Integer(), nullable=True))

    with op.batch_alter_table('meeting_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('occurrence_date', sa.Date(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_meeting_sessions_meeting_id'), ['meeting_id', 'occurrence_date'])


def downgrade():
    with op.batch_alter_table('meeting_sessions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_meeting_sessions_meeting_id'), type_='unique')
        batch_op.drop_column('occurrence_date')
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('weekly_day')
    op.drop_table('skipped_occurrences')
