"""every PDF file handed out, kept with its SHA-256

Revision ID: e5a9c7d3b1f4
Revises: f3b8d6a2c9e1
Create Date: 2026-11-29 19:00:00

"""
from alembic import op
import sqlalchemy as sa

import compliance.models.types


revision = 'e5a9c7d3b1f4'
down_revision = 'f3b8d6a2c9e1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'issued_files',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('subject', sa.String(length=32), nullable=False),
        sa.Column('paper', sa.String(length=8), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('pdf', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', compliance.models.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_issued_files')),
        sa.UniqueConstraint('sha256', name=op.f('uq_issued_files_sha256')),
        sa.UniqueConstraint('subject', 'paper', name=op.f('uq_issued_files_subject')),
    )


def downgrade():
    op.drop_table('issued_files')
