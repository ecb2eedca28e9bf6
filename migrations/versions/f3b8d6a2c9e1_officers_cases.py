"""officers: cases and consents, case reports among summaries, caseload progress copies, mail opt-outs

Revision ID: f3b8d6a2c9e1
Revises: e5a9c3d7f214
Create Date: 2026-11-29 18:35:00

"""
from alembic import op
import sqlalchemy as sa

import compliance.models.types

revision = 'f3b8d6a2c9e1'
down_revision = 'e5a9c3d7f214'
branch_labels = None
depends_on = None


def upgrade():

    op.create_table('cases',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('officer_id', sa.String(length=32), nullable=False),
    sa.Column('label', sa.String(length=80), nullable=False),
    sa.Column('requirement_kind', sa.String(length=16), nullable=False),
    sa.Column('requirement_count', sa.Integer(), nullable=False),
    sa.Column('requirement_span', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('min_minutes', sa.Integer(), server_default='0', nullable=False),
    sa.Column('programs', sa.Text(), server_default='', nullable=False),
    sa.Column('enrolment_code', sa.String(length=16), nullable=False),
    sa.Column('created_at', compliance.models.types.UTCDateTime(), nullable=False),
    sa.Column('progress_key', sa.String(length=64), nullable=True),
    sa.Column('progress_periods', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['officer_id'], ['users.id'], name=op.f('fk_cases_officer_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cases')),
    sa.UniqueConstraint('enrolment_code', name=op.f('uq_cases_enrolment_code'))
    )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cases_officer_id'), ['officer_id'], unique=False)

    op.create_table('case_consents',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('case_id', sa.String(length=32), nullable=False),
    sa.Column('attendee_id', sa.String(length=32), nullable=False),
    sa.Column('linked_at', compliance.models.types.UTCDateTime(), nullable=False),
    sa.Column('withdrawn_at', compliance.models.types.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['attendee_id'], ['attendees.id'], name=op.f('fk_case_consents_attendee_id_attendees')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_consents_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_consents')),
    sa.UniqueConstraint('case_id', name=op.f('uq_case_consents_case_id'))
    )
    with op.batch_alter_table('case_consents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_consents_attendee_id'), ['attendee_id'], unique=False)

    with op.batch_alter_table('attendees', schema=None) as batch_op:
        batch_op.add_column(sa.Column('case_reminders', sa.Boolean(), server_default=sa.true(), nullable=False))

    with op.batch_alter_table('summaries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('case_id', sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f('ix_summaries_case_id'), ['case_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_summaries_case_id_cases'), 'cases', ['case_id'], ['id'])

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('case_digest', sa.Boolean(), server_default=sa.true(), nullable=False))

    with op.batch_alter_table('attendance_records', schema=None) as batch_op:
        batch_op.create_index('ix_attendance_records_page_standing', ['attendee_id', 'created_at', 'revoked_at', 'present_minutes'], unique=False)


def downgrade():
    with op.batch_alter_table('attendance_records', schema=None) as batch_op:
        batch_op.drop_index('ix_attendance_records_page_standing')


    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('case_digest')

    with op.batch_alter_table('summaries', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_summaries_case_id_cases'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_summaries_case_id'))
        batch_op.drop_column('case_id')

    with op.batch_alter_table('attendees', schema=None) as batch_op:
        batch_op.drop_column('case_reminders')

    with op.batch_alter_table('case_consents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_consents_attendee_id'))

    op.drop_table('case_consents')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cases_officer_id'))

    op.drop_table('cases')

