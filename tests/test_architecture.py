"""The architecture holds: the import-linter contracts in pyproject.toml, no import
cycle inside mesa_tui, no module over 450 lines, and the scripted commands never
load the TUI."""

from __future__ import annotations

import json
import os
import pwd
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

import mesa_tui
from mesa_tui.services.admin import Admin
from tests.support import ROOT, actor_of, system_of

SRC = Path(mesa_tui.__file__).resolve().parent.parent  # the tree under test, not an installed copy
MAX_LINES = 450


def run_python(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "PYTHONPATH": str(SRC), **(env or {})}
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=full_env, capture_output=True, text=True)


def test_import_contracts_are_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--config", str(ROOT / "pyproject.toml")],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(SRC)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" not in result.stdout.split("Contracts:")[-1].lower() or "0 broken" in result.stdout


def test_no_module_reaches_itself_through_its_imports():
    """Lazy imports inside functions and TYPE_CHECKING imports count: a cycle is a cycle.
    (Fails until the supervisor screens' base <-> board/overview/indicators cycle is
    broken by the screens refactor, issue 10, helper H1.)"""
    graph = grimp.build_graph("mesa_tui", cache_dir=None)
    cycles = set()
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            back = graph.find_shortest_chain(importer=imported, imported=module)
            if back:
                loop = (module, *back[:-1])
                start = loop.index(min(loop))
                cycles.add(" -> ".join(loop[start:] + loop[: start + 1]))
    assert sorted(cycles) == []


def test_no_module_is_over_450_lines():
    """(Fails until the domain/services/store and screens refactors of issue 10 land,
    helpers H1 and H2: today services/admin.py, store/demo.py and others are longer.)"""
    sizes = {
        str(path.relative_to(SRC)): len(path.read_text(encoding="utf-8").splitlines())
        for path in (SRC / "mesa_tui").rglob("*.py")
    }
    assert {path: n for path, n in sorted(sizes.items()) if n > MAX_LINES} == {}


PROBE = """
import json, sys
from mesa_tui.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def loaded_by(*argv: str, env: dict[str, str] | None = None) -> tuple[int, str, set[str]]:
    """Run `mesa ARGV` in a fresh interpreter: its exit code, its output and every module it imported."""
    result = run_python("-c", PROBE, *argv, env=env)
    *output, last = result.stdout.splitlines()
    probe = json.loads(last)
    return probe["code"], "\n".join(output) + result.stderr, set(probe["modules"])


def textual_modules(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m == "textual" or m.startswith("textual."))


def test_mesa_help_does_not_import_textual():
    code, output, modules = loaded_by("--help")
    assert code == 0 and "ticket" in output
    assert textual_modules(modules) == []


@pytest.mark.parametrize("argv", [("ticket", "list"), ("ticket", "list", "--json")], ids=["text", "json"])
def test_mesa_ticket_list_does_not_import_textual(db, db_url, log, argv):
    ticket = log(by="jperez", subject="Sin conexión a internet")
    me = pwd.getpwuid(os.getuid()).pw_name  # the CLI knows its user by the real uid, not $LOGNAME
    if me not in {a.login for a in Admin(db).agents(system_of(db), include_inactive=True)}:
        Admin(db).create_agent(actor_of(db, "admin"), me, "Quien corre las pruebas", "agent", 1, None)
    code, output, modules = loaded_by("--db", db_url, *argv)
    assert code == 0, output
    assert ticket.code in output
    assert textual_modules(modules) == []
