"""PostgreSQL: the schema belongs to an owner role; the desk runs as an
application role that can neither change the schema nor rewrite history.

The owner is whoever runs `mesa db upgrade` (its URL stays with the
administrator). `mesa db upgrade --app-role NAME` creates NAME if it is missing
(NOLOGIN, unless a password comes in MESA_APP_PASSWORD or at the prompt: a
LOGIN role, the password sent as a SCRAM verifier, never in clear) and gives it,
in the migrations' own transaction:
- CONNECT on the database, USAGE on the schema, USAGE on the sequences (ids);
- SELECT, INSERT, UPDATE on the desk's tables;
- SELECT, INSERT only where the agents' history lives (the audit trail,
  comments, surveys): no UPDATE, no DELETE;
- DELETE only where the desk itself deletes (an SLA policy, a closure day, a
  service's own schedule, an SSH key);
- nothing else: no TRUNCATE, REFERENCES or TRIGGER, and no DDL (the tables are
  the owner's, and CREATE on the schema is revoked from PUBLIC).
Everything else the role held on the schema's tables and sequences is revoked
first, so running it again converges to the same grants. The owner's default
privileges give the tables and sequences of later migrations SELECT, INSERT,
UPDATE and USAGE; and every `mesa db upgrade`, with or without the flag,
applies TABLE_PRIVILEGES again to each role that already holds the desk's
grants (INSERT on ticket_event), so a new table of history is kept to SELECT,
INSERT from the migration that creates it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from mesa_tui.store.errors import StoreError

PASSWORD_ENV = "MESA_APP_PASSWORD"

READ_WRITE = ("SELECT", "INSERT", "UPDATE")
# Where the desk's grants differ from READ_WRITE (every other table, later ones included, gets READ_WRITE).
TABLE_PRIVILEGES: dict[str, tuple[str, ...]] = {
    "ticket_event": ("SELECT", "INSERT"),  # the audit trail: appended, never changed
    "comment": ("SELECT", "INSERT"),
    "survey": ("SELECT", "INSERT"),
    "audit_head": ("SELECT", "UPDATE"),  # moved forward by each append; its one row is the migration's
    "alembic_version": ("SELECT",),  # the schema check; migrating is the owner's
    "sla_policy": (*READ_WRITE, "DELETE"),  # an administrator deletes a service's or category's policy
    "calendar_closure": (*READ_WRITE, "DELETE"),  # ... or a closure day
    "service_schedule": (*READ_WRITE, "DELETE"),  # ... or gives a service back the office hours
    "agent_ssh_key": (*READ_WRITE, "DELETE"),  # an agent or an administrator removes a key
}

_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}\Z")


class RoleRefused(StoreError):
    """The application role cannot be made or granted as asked; nothing changed."""


@dataclass(frozen=True)
class AppRole:
    """The role to create or check; `password` None leaves an existing role's login as it is."""

    name: str
    password: str | None = None


@dataclass(frozen=True)
class RoleGrants:
    name: str
    created: bool
    can_login: bool
    tables: int


def apply_grants(conn: sa.Connection, asked: AppRole | None) -> list[RoleGrants]:
    """The desk's grants for `asked` and for every role that already holds them."""
    names = [n for n in app_roles(conn) if asked is None or n != asked.name]
    done = [grant_app_role(conn, AppRole(n)) for n in names]
    if asked is not None:
        done.append(grant_app_role(conn, asked))
    return sorted(done, key=lambda g: g.name)


def app_roles(conn: sa.Connection) -> list[str]:
    """Roles other than the owner that may append to the audit trail."""
    q = sa.text(
        "SELECT DISTINCT r.rolname FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a "
        "JOIN pg_roles r ON r.oid = a.grantee "
        "WHERE c.oid = to_regclass('ticket_event') AND a.privilege_type = 'INSERT' AND a.grantee <> c.relowner "
        "ORDER BY 1"
    )
    return [str(n) for n in conn.execute(q).scalars()]


def grant_app_role(conn: sa.Connection, role: AppRole) -> RoleGrants:
    name = role.name
    if not _NAME.match(name):
        raise RoleRefused(
            f"«{name}» no sirve como nombre de rol: use minúsculas, dígitos y _ (hasta 63), empezando por una letra."
        )
    owner = conn.execute(sa.text("SELECT current_user")).scalar_one()
    if name == owner:
        raise RoleRefused(f"El rol de la aplicación no puede ser el dueño del esquema ({owner}): elija otro nombre.")
    found = conn.execute(
        sa.text("SELECT rolsuper, rolcreaterole, rolcanlogin FROM pg_roles WHERE rolname = :n"), {"n": name}
    ).first()
    quoted = _ident(conn, name)
    try:
        if found is None:
            login = f"LOGIN PASSWORD {_literal(_verifier(conn, role))}" if role.password else "NOLOGIN"
            conn.exec_driver_sql(f"CREATE ROLE {quoted} {login}")
        else:
            _check_existing(conn, name, owner, bool(found[0]), bool(found[1]))
            if role.password:
                conn.exec_driver_sql(f"ALTER ROLE {quoted} LOGIN PASSWORD {_literal(_verifier(conn, role))}")
        tables = _grant(conn, quoted)
    except sa.exc.DBAPIError as exc:
        text = str(exc.orig or exc).strip().splitlines()[0]
        if "permission denied" in text or "must be" in text:
            raise RoleRefused(
                f"El rol dueño ({owner}) no puede dar al rol {name} sus permisos ({text}): "
                "ejecute «mesa db upgrade» con el dueño del esquema, que además pueda crear roles (CREATEROLE)."
            ) from None
        raise
    can_login = bool(role.password) or (found is not None and bool(found[2]))
    return RoleGrants(name=name, created=found is None, can_login=can_login, tables=tables)


def _check_existing(conn: sa.Connection, name: str, owner: str, superuser: bool, createrole: bool) -> None:
    if superuser or createrole:
        raise RoleRefused(
            f"El rol {name} es superusuario o puede crear roles: la mesa no puede trabajar con él; elija otro nombre."
        )
    member = conn.execute(sa.text("SELECT pg_has_role(:n, :o, 'MEMBER')"), {"n": name, "o": owner}).scalar_one()
    owns = conn.execute(
        sa.text("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tableowner = :n"),
        {"n": name},
    ).scalar_one()
    if member or owns:
        raise RoleRefused(
            f"El rol {name} es dueño de tablas de la mesa o miembro del rol dueño ({owner}): "
            "tendría sus permisos; elija otro nombre."
        )


def _grant(conn: sa.Connection, role: str) -> int:
    """Revoke what `role` holds on the schema, then grant the desk's privileges; returns the tables granted."""
    schema = _ident(conn, conn.execute(sa.text("SELECT current_schema()")).scalar_one())
    database = _ident(conn, conn.execute(sa.text("SELECT current_database()")).scalar_one())
    tables = list(
        conn.execute(
            sa.text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
        ).scalars()
    )
    statements = [
        f"GRANT CONNECT ON DATABASE {database} TO {role}",
        f"REVOKE CREATE ON DATABASE {database} FROM {role}",
        f"REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC",
        f"REVOKE ALL ON SCHEMA {schema} FROM {role}",
        f"GRANT USAGE ON SCHEMA {schema} TO {role}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {role}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {role}",
        *(
            f"GRANT {', '.join(TABLE_PRIVILEGES.get(t, READ_WRITE))} ON TABLE {schema}.{_ident(conn, t)} TO {role}"
            for t in tables
        ),
        f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} REVOKE ALL ON TABLES FROM {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT {', '.join(READ_WRITE)} ON TABLES TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} REVOKE ALL ON SEQUENCES FROM {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT USAGE ON SEQUENCES TO {role}",
    ]
    for statement in statements:
        conn.exec_driver_sql(statement)
    return len(tables)


def _verifier(conn: sa.Connection, role: AppRole) -> str:
    """The password as PostgreSQL stores it (SCRAM-SHA-256), computed here by
    libpq: the clear password never reaches the server or its logs."""
    assert role.password
    raw: Any = conn.connection.dbapi_connection
    secret: bytes = raw.pgconn.encrypt_password(role.password.encode(), role.name.encode(), b"scram-sha-256")
    return secret.decode("ascii")


def _ident(conn: sa.Connection, name: str) -> str:
    return str(conn.dialect.identifier_preparer.quote_identifier(name))


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
