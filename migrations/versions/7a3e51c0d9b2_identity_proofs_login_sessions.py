"""identity: where names and pages come from, proven emails, reset requests, login sessions

Revision ID: 7a3e51c0d9b2
Revises: cd7098bb0865
Create Date: 2026-11-29 17:10:00

"""
from alembic import op
import sqlalchemy as sa

import compliance.models.types


revision = '7a3e51c0d9b2'
down_revision = 'cd7098bb0865'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_source', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('attendee_via', sa.String(length=16), nullable=True))

    with op.batch_alter_table('attendees', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_proven_at', compliance.models.types.UTCDateTime(), nullable=True))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reset_requested_at', compliance.models.types.UTCDateTime(), nullable=True))

    op.create_table('login_sessions',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('created_at', compliance.models.types.UTCDateTime(), nullable=False),
    sa.Column('ended_at', compliance.models.types.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_login_sessions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_sessions'))
    )
    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_sessions_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_sessions_user_id'))
    op.drop_table('login_sessions')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('reset_requested_at')
    with op.batch_alter_table('attendees', schema=None) as batch_op:
        batch_op.drop_column('email_proven_at')
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_column('attendee_via')
        batch_op.drop_column('name_source')
