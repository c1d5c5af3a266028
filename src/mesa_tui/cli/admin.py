"""Running the desk: `mesa db upgrade`, `mesa demo`, `mesa maintenance`."""

from __future__ import annotations

import argparse
import time

from mesa_tui.cli import common

MAX_DEMO_TICKETS = 5_000_000


def register_db(subparsers: common.Subparsers) -> None:
    db = subparsers.add_parser("db", help="base de datos").add_subparsers(dest="db_command", required=True)
    db.add_parser("upgrade", help="crear o migrar la base de datos").set_defaults(func=cmd_db_upgrade)


def register(subparsers: common.Subparsers) -> None:
    demo = subparsers.add_parser("demo", help="crear datos de demostración")
    demo.add_argument(
        "--tickets",
        type=common.whole_number(MAX_DEMO_TICKETS),
        default=400,
        help=f"cuántos casos (0 a {MAX_DEMO_TICKETS:,})".replace(",", "."),
    )
    demo.add_argument("--seed", type=common.whole_number(2**31), default=7)
    demo.set_defaults(func=cmd_demo)

    subparsers.add_parser("maintenance", help="cierre automático de casos resueltos").set_defaults(func=cmd_maintenance)


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from mesa_tui.store import migrate
    from mesa_tui.store.engine import safe_url
    from mesa_tui.store.seed import seed_reference_data

    db = common.database(args, create=True)
    migrate.upgrade(db)
    seed_reference_data(db)
    print(f"Base de datos al día: {safe_url(db.url)}")
    return 0


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
