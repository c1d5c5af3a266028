"""Running the desk: `mesa db upgrade`, `mesa demo`, `mesa maintenance`, and
`mesa admin init|enrol` (the first administrator, password enrolment codes)."""

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
    demo = subparsers.add_parser("demo", help="crear datos de demostración (solo en una mesa nueva)")
    demo.add_argument(
        "--tickets",
        type=common.number_between(0, MAX_DEMO_TICKETS),
        default=400,
        help=f"cuántos casos (0 a {thousands(MAX_DEMO_TICKETS)})",
    )
    demo.add_argument("--seed", type=common.number_between(0, 2**31), default=7)
    demo.add_argument(
        "--operator",
        metavar="LOGIN",
        help="usuario del sistema que queda como administrador de la mesa nueva (p. ej. $(id -un))",
    )
    demo.add_argument(
        "--force", action="store_true", help="agregar la demostración a una mesa que ya tiene agentes o casos"
    )
    demo.set_defaults(func=cmd_demo)

    mt = subparsers.add_parser("maintenance", help="cierre automático de casos resueltos")
    mt.add_argument("--dry-run", action="store_true", help="solo decir qué casos se cerrarían, sin cerrarlos")
    mt.set_defaults(func=cmd_maintenance)

    adm = subparsers.add_parser("admin", help="primer administrador y cuentas con contraseña").add_subparsers(
        dest="admin_command", required=True
    )
    init = adm.add_parser("init", help="crear el primer administrador de una mesa que no tiene ninguno")
    init.add_argument("login", help="usuario (el del sistema operativo, si entrará por él)")
    init.add_argument("name", help="nombre completo")
    init.set_defaults(func=cmd_admin_init)
    enrol = adm.add_parser("enrol", help="emitir el código de activación con que un agente define su contraseña")
    enrol.add_argument("login")
    enrol.set_defaults(func=cmd_admin_enrol)


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
    stats = generate(db, tickets=args.tickets, seed=args.seed, operator=args.operator, force=args.force)
    elapsed = time.perf_counter() - t0
    tickets, events = (f"{stats[k]:,}".replace(",", ".") for k in ("tickets", "events"))
    print(f"Datos de demostración: {tickets} casos, {stats['agents']} agentes, {events} eventos en {elapsed:.1f} s")
    return 0


def cmd_maintenance(args: argparse.Namespace) -> int:
    desk = common.desk(args)
    # The desk's own work: it closes as "sistema", whoever runs the cron line.
    closed = desk.auto_close(common.identity(desk.db).system(), dry_run=args.dry_run)
    listed = f" ({', '.join(closed)})" if closed else ""
    if args.dry_run:
        print(f"Cierre automático (prueba, nada cambió): se cerrarían {len(closed)} casos{listed}")
    else:
        print(f"Cierre automático: {len(closed)} casos cerrados{listed}")
    return 0


def cmd_admin_init(args: argparse.Namespace) -> int:
    agent = common.identity(common.database(args)).init_first_admin(args.login, args.name, common.where())
    print(f"Primer administrador creado: {agent.full_name} ({agent.login}).")
    return 0


def cmd_admin_enrol(args: argparse.Namespace) -> int:
    from mesa_tui.domain.passwords import CODE_HOURS
    from mesa_tui.services.admin import Admin

    desk = common.desk(args)
    code = Admin(desk.db).issue_enrolment_code(common.actor(args, desk), args.login)
    # The one time the code is shown: to the administrator who hands it over.
    print(f"Código de activación para {args.login}: {code}")
    print(f"Vence en {CODE_HOURS} horas. El agente lo usa una vez, con `mesa --login`, para definir su contraseña.")
    return 0
