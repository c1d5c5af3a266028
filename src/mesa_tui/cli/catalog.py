"""`mesa catalog import|export FILE`: the service catalog as a TSV file (see db/catalog.tsv)."""

from __future__ import annotations

import argparse

from mesa_tui.cli import common


def register(subparsers: common.Subparsers) -> None:
    cat = subparsers.add_parser("catalog", help="catálogo de servicios").add_subparsers(
        dest="catalog_command", required=True
    )
    ci = cat.add_parser("import", help="cargar un archivo de catálogo (todo o nada)")
    ci.add_argument("file")
    ci.set_defaults(func=cmd_catalog_import)
    ce = cat.add_parser("export", help="escribir el catálogo en un archivo")
    ce.add_argument("file")
    ce.set_defaults(func=cmd_catalog_export)


def cmd_catalog_import(args: argparse.Namespace) -> int:
    from mesa_tui.services.admin import Admin
    from mesa_tui.services.catalog import import_catalog, read_catalog_file
    from mesa_tui.services.desk import Desk

    db = common.database(args)
    identity = common.identity(db)
    text = read_catalog_file(args.file)
    if identity.has_admin() or args.as_login:
        # An admin's import re-targets tickets of moved services.
        result = Admin(db).import_catalog(common.actor(args, Desk(db)), text)
    else:
        # A desk being set up: its first catalog is loaded by the desk itself ("sistema"),
        # which the service refuses once a catalog is there.
        result = import_catalog(db, identity.system(), text)
    print(f"Catálogo importado: {result.created} nuevos, {result.updated} modificados, {result.unchanged} sin cambios.")
    return 0


def cmd_catalog_export(args: argparse.Namespace) -> int:
    from mesa_tui.services.catalog import export_catalog, write_catalog_file
    from mesa_tui.services.desk import Desk

    db = common.database(args)
    text = export_catalog(db, common.actor(args, Desk(db)))
    path, count = write_catalog_file(args.file, text)
    print(f"Catálogo exportado a {path} ({count} servicios)")
    return 0
