"""order desk: orders, their lines and credit instalments, pro-formas, the order counter; a complaint's order;
a catalogue model's stock flag and list price

Revision ID: 0012a
Revises: 0011b
Create Date: 2026-12-07 20:45:44.587083
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import aftersales.db.base
from aftersales.db.rls import enable_tenant_isolation

revision = '0012a'
down_revision = '0011b'
branch_labels = None
depends_on = None

_AT = aftersales.db.base.UTCDateTime(timezone=True)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(['tenant_id', column], [f'{target}.tenant_id', f'{target}.id'],
                                   name=op.f(f'fk_{table}_tenant_id_{column}_{target}'))


def _tenant_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f(f'fk_{table}_tenant_id_tenants'))


def upgrade() -> None:
    with op.batch_alter_table('product_models', schema=None) as batch_op:
        batch_op.add_column(sa.Column('in_stock', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column('list_price_minor', sa.BigInteger(), nullable=True))
    op.create_table('order_counters',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    _tenant_fk('order_counters'),
    sa.PrimaryKeyConstraint('tenant_id', name=op.f('pk_order_counters'))
    )
    op.create_table('orders',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Uuid(), nullable=False),
    sa.Column('created_by', sa.String(length=120), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('payment_plan', sa.String(length=10), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('total_minor', sa.BigInteger(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('state_reason', sa.Text(), nullable=False),
    sa.Column('store', sa.String(length=200), nullable=True),
    sa.Column('delivery_address', sa.Text(), nullable=False),
    sa.Column('delivery_phone', sa.String(length=32), nullable=True),
    sa.Column('province', sa.String(length=6), nullable=True),
    sa.Column('promised_delivery_on', sa.Date(), nullable=True),
    sa.Column('payment_id', sa.Uuid(), nullable=True),
    sa.Column('funded_at', _AT, nullable=True),
    sa.Column('cancelled_at', _AT, nullable=True),
    sa.Column('cheque_escalated_at', _AT, nullable=True),
    sa.Column('cheque_escalation_closed_at', _AT, nullable=True),
    sa.Column('cheque_escalation_closed_by', sa.String(length=120), nullable=True),
    sa.Column('cheque_escalation_note', sa.Text(), nullable=False),
    sa.Column('updated_at', _AT, nullable=False),
    sa.Column('created_at', _AT, nullable=False),
    sa.CheckConstraint('total_minor >= 0', name=op.f('ck_orders_total_not_negative')),
    _fk('orders', 'customer_id', 'customers'),
    _fk('orders', 'payment_id', 'payments'),
    _tenant_fk('orders'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_orders')),
    sa.UniqueConstraint('tenant_id', 'number', name=op.f('uq_orders_tenant_id_number'))
    )
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.create_index('ix_orders_state', ['tenant_id', 'state', 'created_at'], unique=False)
        batch_op.create_index('ix_orders_customer', ['tenant_id', 'customer_id', 'created_at'], unique=False)
    op.create_table('order_lines',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('product_model_id', sa.Uuid(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit_price_minor', sa.BigInteger(), nullable=False),
    sa.Column('created_at', _AT, nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_order_lines_quantity_positive')),
    sa.CheckConstraint('unit_price_minor >= 0', name=op.f('ck_order_lines_unit_price_not_negative')),
    _fk('order_lines', 'order_id', 'orders'),
    _fk('order_lines', 'product_model_id', 'product_models'),
    _tenant_fk('order_lines'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_order_lines')),
    sa.UniqueConstraint('tenant_id', 'order_id', 'line_no', name=op.f('uq_order_lines_tenant_id_order_id_line_no'))
    )
    op.create_table('order_instalments',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('payment_id', sa.Uuid(), nullable=True),
    sa.Column('paid_at', _AT, nullable=True),
    sa.Column('created_at', _AT, nullable=False),
    sa.CheckConstraint('amount_minor > 0', name=op.f('ck_order_instalments_amount_positive')),
    _fk('order_instalments', 'order_id', 'orders'),
    _fk('order_instalments', 'payment_id', 'payments'),
    _tenant_fk('order_instalments'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_order_instalments')),
    sa.UniqueConstraint('tenant_id', 'order_id', 'seq', name=op.f('uq_order_instalments_tenant_id_order_id_seq'))
    )
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('order_id', sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(op.f('fk_complaints_tenant_id_order_id_orders'), 'orders',
                                    ['tenant_id', 'order_id'], ['tenant_id', 'id'])
        batch_op.create_index('ix_complaints_order', ['tenant_id', 'order_id'], unique=False)
    op.create_table('proformas',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('issued_at', _AT, nullable=False),
    sa.Column('issued_by', sa.String(length=120), nullable=False),
    sa.Column('store', sa.String(length=200), nullable=True),
    sa.Column('valid_until', _AT, nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('lines', sa.JSON(), nullable=False),
    sa.Column('total_minor', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('payment_id', sa.Uuid(), nullable=True),
    sa.Column('paid_at', _AT, nullable=True),
    sa.Column('violation_complaint_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', _AT, nullable=False),
    _fk('proformas', 'order_id', 'orders'),
    _fk('proformas', 'payment_id', 'payments'),
    _fk('proformas', 'violation_complaint_id', 'complaints'),
    _tenant_fk('proformas'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_proformas'))
    )
    with op.batch_alter_table('proformas', schema=None) as batch_op:
        batch_op.create_index('ix_proformas_order', ['tenant_id', 'order_id', 'issued_at'], unique=False)
    for table in ('order_counters', 'orders', 'order_lines', 'order_instalments', 'proformas'):
        enable_tenant_isolation(op.get_bind(), table)


def downgrade() -> None:
    with op.batch_alter_table('proformas', schema=None) as batch_op:
        batch_op.drop_index('ix_proformas_order')
    op.drop_table('proformas')
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_index('ix_complaints_order')
        batch_op.drop_constraint(op.f('fk_complaints_tenant_id_order_id_orders'), type_='foreignkey')
        batch_op.drop_column('order_id')
    op.drop_table('order_instalments')
    op.drop_table('order_lines')
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_index('ix_orders_customer')
        batch_op.drop_index('ix_orders_state')
    op.drop_table('orders')
    op.drop_table('order_counters')
    with op.batch_alter_table('product_models', schema=None) as batch_op:
        batch_op.drop_column('list_price_minor')
        batch_op.drop_column('in_stock')
