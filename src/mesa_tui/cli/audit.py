"""`mesa audit verify`: walk the audit trail's hash chain (store/audit_verify.py)."""

from __future__ import annotations

import argparse

from mesa_tui.cli import common


def register(subparsers: common.Subparsers) -> None:
    audit = subparsers.add_parser("audit", help="registro de auditoría").add_subparsers(
        dest="audit_command", required=True
    )
    audit.add_parser(
        "verify", help="comprobar que ningún evento se modificó, borró, reordenó ni agregó por fuera de la mesa"
    ).set_defaults(func=cmd_audit_verify)


def cmd_audit_verify(args: argparse.Namespace) -> int:
    """Exit 0 when the chain is whole, 1 at the first event that breaks it."""
    from mesa_tui.store.audit_verify import verify_chain
    from mesa_tui.store.migrate import open_database

    db = open_database(args.db)
    try:
        report = verify_chain(db)
    finally:
        db.dispose()
    if report.broken is not None:
        print(report.broken.describe())
        print(f"Eventos íntegros antes de ese punto: {_count(report.events)}.")
        return 1
    print(f"íntegro: {_count(report.events)} eventos")
    if report.last_id is not None:
        # Written down outside the database, this hash makes even a rewrite of the whole chain evident.
        print(f"Huella del último evento (#{report.last_id}): {report.last_hash}")
    return 0


def _count(n: int) -> str:
    return f"{n:,}".replace(",", ".")
