"""Fixtures of the service tests (tests/conftest.py has the database): the reports and the administration use cases."""

from __future__ import annotations

import pytest

from mesa_tui.services.admin import Admin
from mesa_tui.services.reports import Reports
from tests.support import actor_of


@pytest.fixture
def reports(db, now):
    return Reports(db, now=now)


@pytest.fixture
def sup(desk):
    return actor_of(desk, "supervisor")


@pytest.fixture
def out(tmp_path):
    """An empty folder for the files (tmp_path also holds the SQLite database)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


@pytest.fixture
def admin(db, now) -> Admin:
    return Admin(db, now=now)


@pytest.fixture
def boss(desk):
    return actor_of(desk, "admin")
