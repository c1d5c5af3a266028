"""Running the desk: `mesa db upgrade`, `mesa demo`, `mesa maintenance`."""

from __future__ import annotations

import argparse
import time

from mesa_tui.cli import common
from mesa_tui.domain.text import thousands

MAX_DEMO_TICKETS = 5_000_000


def register_db(subparsers: common.Subparsers) -> None:
    db = subparsers.add_parser("db", help="base de datos").add_subparsers(dest="db_command", required=True)
    up = db.add_parser("upgrade", help="crear o migrar la base de datos")
    up.add_argument(
        "--app-role",
        metavar="ROL",
        help="PostgreSQL: crear o revisar el rol con que trabaja la mesa (sin cambiar el esquema ni la auditoría); "
        "su clave, si la tiene, en MESA_APP_PASSWORD o con --ask-password",
    )
    up.add_argument("--ask-password", action="store_true", help="pedir la clave del rol de la aplicación")
    up.set_defaults(func=cmd_db_upgrade)


def register(subparsers: common.Subparsers) -> None:
    demo = subparsers.add_parser("demo", help="crear datos de demostración")
    demo.add_argument(
        "--tickets",
        type=common.number_between(0, MAX_DEMO_TICKETS),
        default=400,
        help=f"cuántos casos (0 a {thousands(MAX_DEMO_TICKETS)})",
    )
    demo.add_argument("--seed", type=common.number_between(0, 2**31), default=7)
    demo.set_defaults(func=cmd_demo)

    subparsers.add_parser("maintenance", help="cierre automático de casos resueltos").set_defaults(func=cmd_maintenance)


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from mesa_tui.store import migrate
    from mesa_tui.store.engine import safe_url
    from mesa_tui.store.roles import AppRole
    from mesa_tui.store.seed import seed_reference_data

    db = common.database(args, create=True)
    role = AppRole(args.app_role, _app_password(args.ask_password)) if args.app_role else None
    granted = migrate.upgrade(db, app_role=role)
    seed_reference_data(db)
    print(f"Base de datos al día: {safe_url(db.url)}")
    for g in granted:
        login = "inicia sesión con su clave" if g.can_login else "sin inicio de sesión (NOLOGIN)"
        print(
            f"Rol de la aplicación {g.name} {'creado' if g.created else 'revisado'}: {login}; permisos en "
            f"{g.tables} tablas (auditoría, comentarios y encuestas: solo leer y agregar)."
        )
    return 0


def _app_password(ask: bool) -> str | None:
    """The application role's password: MESA_APP_PASSWORD, or typed twice (never an argument)."""
    import getpass
    import os

    from mesa_tui.store.roles import PASSWORD_ENV

    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    if not ask:
        return None
    first = getpass.getpass("Clave del rol de la aplicación: ")
    if first != getpass.getpass("Repítala: "):
        raise ValueError("Las dos claves no coinciden: no se cambió nada.")
    return first or None


def cmd_demo(args: argparse.Namespace) -> int:
    from mesa_tui.demo import generate

    db = common.database(args)
    t0 = time.perf_counter()
    stats = generate(db, tickets=args.tickets, seed=args.seed, admin_login=common.os_login())
    elapsed = time.perf_counter() - t0
    print(
        f"Datos de demostración: {stats['tickets']:,} casos, {stats['agents']} agentes, "
        f"{stats['events']:,} eventos en {elapsed:.1f} s".replace(",", ".")
    )
    return 0


def cmd_maintenance(args: argparse.Namespace) -> int:
    closed = common.desk(args).auto_close()
    print(f"Cierre automático: {len(closed)} casos cerrados" + (f" ({', '.join(closed)})" if closed else ""))
    return 0
