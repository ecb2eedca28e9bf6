"""signing keys have purposes: documents (slips, summaries, reports) or audit heads

Revision ID: e5a9c3d7f214
Revises: d4f1b8c2a6e7
Create Date: 2026-11-29 19:05:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'e5a9c3d7f214'
down_revision = 'd4f1b8c2a6e7'
branch_labels = None
depends_on = None


def upgrade():
    # Keys made before purposes existed signed both, and keep verifying what they signed;
    # `setup` gives audit heads a key of their own from then on.
    with op.batch_alter_table('signing_keys', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('purposes', sa.String(length=40), server_default='documents audit', nullable=False)
        )
    with op.batch_alter_table('signing_keys', schema=None) as batch_op:
        batch_op.alter_column('purposes', server_default=None)


def downgrade():
    with op.batch_alter_table('signing_keys', schema=None) as batch_op:
        batch_op.drop_column('purposes')
