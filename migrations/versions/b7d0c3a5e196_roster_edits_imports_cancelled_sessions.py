"""roster edits: report imports that can be undone, cancelled sessions

Revision ID: b7d0c3a5e196
Revises: 9c41f2e8a7d3
Create Date: 2026-11-29 17:10:00

"""
from alembic import op
import sqlalchemy as sa

import compliance.models.types


revision = 'b7d0c3a5e196'
down_revision = '9c41f2e8a7d3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('report_imports',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('session_id', sa.String(length=32), nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('format', sa.String(length=16), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('participants', sa.Integer(), nullable=False),
    sa.Column('restore', sa.Text(), nullable=False),
    sa.Column('created_at', compliance.models.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['meeting_sessions.id'], name=op.f('fk_report_imports_session_id_meeting_sessions')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_report_imports_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_imports'))
    )
    with op.batch_alter_table('report_imports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_imports_session_id'), ['session_id'], unique=False)

    with op.batch_alter_table('intervals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('import_id', sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f('ix_intervals_import_id'), ['import_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_intervals_import_id_report_imports'), 'report_imports', ['import_id'], ['id'])

    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('import_id', sa.String(length=32), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_participants_import_id_report_imports'), 'report_imports', ['import_id'], ['id'])

    with op.batch_alter_table('meeting_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancelled_at', compliance.models.types.UTCDateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('meeting_sessions', schema=None) as batch_op:
        batch_op.drop_column('cancelled_at')
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_participants_import_id_report_imports'), type_='foreignkey')
        batch_op.drop_column('import_id')
    with op.batch_alter_table('intervals', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_intervals_import_id_report_imports'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_intervals_import_id'))
        batch_op.drop_column('import_id')
    with op.batch_alter_table('report_imports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_imports_session_id'))
    op.drop_table('report_imports')
