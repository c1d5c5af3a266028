"""`mesa ssh authorized-keys [--file PATH]` and `mesa ssh check [--file PATH]`: the SSH
service account's authorized_keys, written from the agents' keys in the database,
and a check that the file on disk still says the same (exit 1 when it drifted).

Both run as the desk's own actor "sistema" (public keys are no secret); the file is
the one configured (services/ssh_keys.py) unless --file names another.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from mesa_tui.cli import common

if TYPE_CHECKING:
    from mesa_tui.domain.tickets import ActorInfo
    from mesa_tui.services.ssh_keys import SshKeys


def register(subparsers: common.Subparsers) -> None:
    ssh = subparsers.add_parser("ssh", help="sesiones por SSH: el authorized_keys de la cuenta de servicio")
    sub = ssh.add_subparsers(dest="ssh_command", required=True)
    write = sub.add_parser("authorized-keys", help="escribir authorized_keys con las llaves de los agentes activos")
    write.add_argument("--file", metavar="RUTA", help="otro archivo que el configurado")
    write.set_defaults(func=cmd_authorized_keys)
    check = sub.add_parser("check", help="comparar authorized_keys con la base de datos (sale con 1 si difieren)")
    check.add_argument("--file", metavar="RUTA", help="otro archivo que el configurado")
    check.set_defaults(func=cmd_check)


def _service(args: argparse.Namespace) -> tuple[SshKeys, ActorInfo]:
    from mesa_tui.services.ssh_keys import SshKeys

    desk = common.desk(args)
    return SshKeys(desk.db), common.identity(desk.db).system()


def cmd_authorized_keys(args: argparse.Namespace) -> int:
    keys, system = _service(args)
    done = keys.write_authorized_keys(system, args.file)
    print(f"authorized_keys escrito: {_keys(done.keys)} de agentes activos en {done.path}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    keys, system = _service(args)
    checked = keys.check_authorized_keys(system, args.file)
    if not checked.exists:
        print(f"{checked.path} no existe: escríbalo con «mesa ssh authorized-keys».")
        return 1
    if checked.drift.clean:
        print(f"{checked.path} al día: {_keys(checked.keys)}.")
        return 0
    print(f"{checked.path} no coincide con la base de datos:")
    for line in checked.drift.missing:
        print(f"  falta:  {_short(line)}")
    for line in checked.drift.extra:
        print(f"  sobra:  {_short(line)}")
    print("Reescríbalo con «mesa ssh authorized-keys».")
    return 1


def _keys(count: int) -> str:
    return "1 llave" if count == 1 else f"{count} llaves"


def _short(line: str) -> str:
    return line if len(line) <= 160 else f"{line[:100]}…{line[-50:]}"
