"""`mesa backup [FILE]`, `mesa backup --verify FILE`, `mesa restore FILE [--force]`.

A backup is taken online (agents keep working) into one self-describing
file; `--verify` restores it into a scratch database and compares it with its
manifest; `restore` refuses to roll back a desk that has newer events unless
`--force`. For cron, e.g. every night at 02:15, keeping the verified file:

    15 2 * * *  mesa backup /srv/mesa/respaldos/mesa-$(date +\\%F).mesabak && mesa backup --verify /srv/mesa/respaldos/mesa-$(date +\\%F).mesabak
"""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from mesa_tui.cli import common
from mesa_tui.domain.text import thousands

if TYPE_CHECKING:
    from mesa_tui.store.backup import Manifest
    from mesa_tui.store.engine import Database

SUFFIX = ".mesabak"


def register(subparsers: common.Subparsers) -> None:
    b = subparsers.add_parser("backup", help="respaldo en caliente de la base de datos, o su verificación")
    b.add_argument("file", nargs="?", help=f"archivo de respaldo (por defecto respaldos/mesa-AAAAMMDD-HHMMSS{SUFFIX})")
    b.add_argument(
        "--verify", metavar="FILE", help="restaurar FILE en una base temporal y compararlo con su manifiesto"
    )
    b.set_defaults(func=cmd_backup)
    r = subparsers.add_parser("restore", help="restaurar un respaldo sobre la base de datos")
    r.add_argument("file")
    r.add_argument(
        "--force", action="store_true", help="restaurar aunque la mesa tenga eventos posteriores al respaldo"
    )
    r.set_defaults(func=cmd_restore)


def default_file(db: Database) -> Path:
    """respaldos/ beside a SQLite desk's file, or in the current folder for PostgreSQL."""
    from mesa_tui.store.config import settings

    configured = settings().get("backup_dir")
    if configured:
        folder = Path(str(configured)).expanduser()
    elif db.is_sqlite and db.engine.url.database:
        folder = Path(db.engine.url.database).resolve().parent / "respaldos"
    else:
        folder = Path("respaldos")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder / f"mesa-{datetime.now():%Y%m%d-%H%M%S}{SUFFIX}"


def _summary(manifest: Manifest) -> str:
    counts = manifest.counts
    return (
        f"{thousands(counts.get('ticket', 0))} casos, {thousands(counts.get('ticket_event', 0))} eventos, "
        f"{len(counts)} tablas; revisión {manifest.revision or '-'}; hecho {manifest.created_at[:19]} UTC"
    )


def cmd_backup(args: argparse.Namespace) -> int:
    from mesa_tui.store import backup

    db = common.database(args)
    if args.verify:
        if args.file:
            raise backup.BackupError("Indique el respaldo a hacer o el que se verifica (--verify), no ambos.")
        check = backup.verify(db, Path(args.verify).expanduser())
        if not check.ok:
            problems = [f"integridad: {check.integrity}"] if check.integrity != "ok" else []
            problems += [
                f"{table}: {want} filas en el manifiesto, {got} restauradas"
                for table, (want, got) in check.mismatches.items()
            ]
            if check.chain is not None and check.chain.broken is not None:
                problems.append(f"auditoría: {check.chain.broken.describe()}")
            raise backup.BackupError(f"El respaldo {args.verify} NO está íntegro: " + "; ".join(problems) + ".")
        chain = f"; auditoría íntegra: {thousands(check.chain.events)} eventos" if check.chain is not None else ""
        print(f"Respaldo íntegro: {args.verify} ({_summary(check.manifest)}{chain}).")
        return 0
    target = Path(args.file).expanduser() if args.file else default_file(db)
    manifest = backup.backup(db, target)
    print(f"Respaldo hecho: {target} ({_summary(manifest)}).")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from mesa_tui.store import backup

    db = common.database(args)
    manifest = backup.restore(db, Path(args.file).expanduser(), force=args.force)
    print(f"Respaldo restaurado: {args.file} ({_summary(manifest)}).")
    return 0
