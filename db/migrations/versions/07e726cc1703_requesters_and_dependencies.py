"""requesters (solicitantes) and dependencies; ticket.requester_id

Existing tickets get requesters made from their free-text requester columns,
de-duplicated: one requester per e-mail (a contact with "@", case ignored),
else one per name (case, accents and spaces ignored) and phone digits. Each
takes the name and dependency of their newest ticket. The distinct dependency
texts (case, accents and spaces ignored) become the dependency list. The
tickets' requester columns stay as they are: they are the ticket's snapshot.

Revision ID: 07e726cc1703
Revises: 5129ae27f020
Create Date: 2026-12-02 10:55:27.232620
"""
import re
import unicodedata
from datetime import UTC, datetime
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel.sql.sqltypes
import mesa_tui.store.models


revision: str = '07e726cc1703'
down_revision: Union[str, None] = '5129ae27f020'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def upgrade() -> None:
    op.create_table('dependency',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('requester',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('document_type', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=True),
    sa.Column('document_number', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('dependency_id', sa.Integer(), nullable=True),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('extension', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('position', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('vip', sa.Boolean(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('search_text', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('privacy_notice_version', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('privacy_notice_at', mesa_tui.store.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('anonymized', sa.Boolean(), nullable=False),
    sa.Column('anonymized_at', mesa_tui.store.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', mesa_tui.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', mesa_tui.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['dependency_id'], ['dependency.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_requester_dependency_id', 'requester', ['dependency_id'], unique=False)
    op.create_index('ix_requester_document', 'requester', ['document_type', 'document_number'], unique=True)
    op.create_index('ix_requester_email', 'requester', ['email'], unique=True)
    op.create_index('ix_requester_name', 'requester', ['name', 'id'], unique=False)
    # A plain ADD COLUMN, not a batch copy: the ticket table may hold millions of rows,
    # and on SQLite a copy would drop the text index's triggers.
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('ALTER TABLE ticket ADD COLUMN requester_id INTEGER REFERENCES requester (id)')
    else:
        op.add_column('ticket', sa.Column('requester_id', sa.Integer(), nullable=True))
        op.create_foreign_key('ticket_requester_id_fkey', 'ticket', 'requester', ['requester_id'], ['id'])
    _requesters_of_existing_tickets(op.get_bind())
    op.create_index('ix_ticket_requester', 'ticket', ['requester_id', 'created_at', 'id'], unique=False)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def _requesters_of_existing_tickets(conn: sa.Connection) -> None:
    ticket = sa.table(
        'ticket', sa.column('id'), sa.column('requester_name'), sa.column('requester_dependency'),
        sa.column('requester_contact'), sa.column('requester_id'),
    )
    # One row per distinct (name, dependency, contact): far fewer than tickets.
    distinct = conn.execute(
        sa.select(
            ticket.c.requester_name, ticket.c.requester_dependency, ticket.c.requester_contact,
            sa.func.max(ticket.c.id),
        ).group_by(ticket.c.requester_name, ticket.c.requester_dependency, ticket.c.requester_contact)
    ).all()
    if not distinct:
        return
    dependencies: dict[str, tuple[int, str]] = {}  # folded name -> (id, first spelling)
    people: dict[tuple[str, ...], dict] = {}  # de-duplication key -> the newest ticket's values
    pairs: dict[tuple[str, str], tuple[str, ...]] = {}  # (name, contact) as on the ticket -> key
    for name, dependency, raw_contact, _last_id in sorted(distinct, key=lambda r: r[3]):
        contact = (raw_contact or '').strip()
        email = contact.lower() if '@' in contact and _EMAIL.match(contact) and len(contact) <= 120 else None
        key = ('e', email) if email else ('n', _fold(name), re.sub(r'\D', '', contact))
        dep = " ".join((dependency or '').split())[:120]
        if dep and _fold(dep) not in dependencies:
            dependencies[_fold(dep)] = (len(dependencies) + 1, dep)
        digits = re.sub(r'\D', '', contact)
        phone = contact[:30] if not email and 7 <= len(digits) <= 15 and len(contact) <= 30 else ''
        notes = f'Contacto: {contact}' if contact and not email and not phone else ''
        people[key] = {
            'name': " ".join(name.split())[:120] or 'Sin nombre',
            'dependency_id': dependencies[_fold(dep)][0] if dep else None,
            'email': email, 'phone': phone, 'notes': notes,
        }
        pairs[(name, raw_contact or '')] = key
    now = datetime.now(UTC)
    dep_table = sa.table('dependency', sa.column('id'), sa.column('name'), sa.column('active'))
    conn.execute(sa.insert(dep_table), [{'id': i, 'name': n, 'active': True} for i, n in dependencies.values()])
    ids = {key: i for i, key in enumerate(people, start=1)}
    req_table = sa.table(
        'requester', *(sa.column(c) for c in (
            'id', 'name', 'document_type', 'document_number', 'dependency_id', 'email', 'phone', 'extension',
            'position', 'vip', 'notes', 'search_text', 'privacy_notice_version', 'privacy_notice_at',
            'anonymized', 'anonymized_at', 'active', 'created_at', 'updated_at',
        ))
    )
    stamp = mesa_tui.store.models.UTCDateTime().process_bind_param(now, conn.dialect)
    conn.execute(sa.insert(req_table), [
        {
            'id': ids[key], **p, 'document_type': None, 'document_number': None, 'extension': '', 'position': '',
            'vip': False, 'search_text': " ".join(x for x in (_fold(p['name']), p['email'] or '') if x),
            'privacy_notice_version': None, 'privacy_notice_at': None, 'anonymized': False,
            'anonymized_at': None, 'active': True, 'created_at': stamp, 'updated_at': stamp,
        }
        for key, p in people.items()
    ])
    # The tickets find their requester by the (name, contact) they were logged with:
    # one update through a small keyed table, not one statement per ticket.
    conn.execute(sa.text(
        'CREATE TEMPORARY TABLE requester_map (name VARCHAR(120), contact VARCHAR(120), requester_id INTEGER, '
        'PRIMARY KEY (name, contact))'
    ))
    rmap = sa.table('requester_map', sa.column('name'), sa.column('contact'), sa.column('requester_id'))
    conn.execute(sa.insert(rmap), [
        {'name': name, 'contact': contact, 'requester_id': ids[key]} for (name, contact), key in pairs.items()
    ])
    conn.execute(sa.text(
        'UPDATE ticket SET requester_id = (SELECT m.requester_id FROM requester_map m '
        "WHERE m.name = ticket.requester_name AND m.contact = COALESCE(ticket.requester_contact, ''))"
    ))
    conn.execute(sa.text('DROP TABLE requester_map'))
    if conn.dialect.name == 'postgresql':
        for table in ('dependency', 'requester'):
            conn.execute(sa.text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table}))"
            ))


def downgrade() -> None:
    op.drop_index('ix_ticket_requester', table_name='ticket')
    if op.get_bind().dialect.name == 'sqlite':
        # SQLite drops no column that a foreign key names, and a batch copy of the ticket
        # table would break the foreign keys of its events and comments (and drop the text
        # index's triggers): the table's own definition is rewritten without the column.
        _sqlite_drop_requester_column(op.get_bind())
    else:
        op.drop_constraint('ticket_requester_id_fkey', 'ticket', type_='foreignkey')
        op.drop_column('ticket', 'requester_id')
    op.drop_index('ix_requester_name', table_name='requester')
    op.drop_index('ix_requester_email', table_name='requester')
    op.drop_index('ix_requester_document', table_name='requester')
    op.drop_index('ix_requester_dependency_id', table_name='requester')
    op.drop_table('requester')
    op.drop_table('dependency')


def _sqlite_drop_requester_column(conn: sa.Connection) -> None:
    conn.exec_driver_sql("UPDATE ticket SET requester_id = NULL")
    sql = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'ticket'").scalar_one()
    without = re.sub(r",\s*requester_id INTEGER REFERENCES requester \(id\)", "", sql)
    assert without != sql, "ticket.requester_id not found in the table's definition"
    version = conn.exec_driver_sql("PRAGMA schema_version").scalar_one()
    conn.exec_driver_sql("PRAGMA writable_schema = ON")
    conn.exec_driver_sql("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'ticket'", (without,))
    conn.exec_driver_sql(f"PRAGMA schema_version = {version + 1}")
    conn.exec_driver_sql("PRAGMA writable_schema = OFF")
