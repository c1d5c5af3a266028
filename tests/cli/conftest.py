"""Fixtures of the command-line tests."""

from __future__ import annotations

import pytest

from mesa_tui import cli
from mesa_tui.cli import common


@pytest.fixture
def mesa(db, db_url, monkeypatch, capsys):
    """Run `mesa --db URL [--as LOGIN] ARGS`; the OS user is the admin unless told."""
    monkeypatch.setattr(common, "os_login", lambda: "admin")

    def run(*args: str, as_login: str | None = "jperez", os_login: str | None = None):
        if os_login is not None:
            monkeypatch.setattr(common, "os_login", lambda: os_login)
        argv = ["--db", db_url] + (["--as", as_login] if as_login else []) + list(args)
        try:
            code = cli.main(argv)
        except SystemExit as exc:  # argparse refuses the command line before main runs it
            code = exc.code
        out, err = capsys.readouterr()
        return code, out, err

    return run
