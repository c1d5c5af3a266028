"""Fixtures of the administration tests: the use cases over the test database and its administrator."""

from __future__ import annotations

import pytest

from mesa_tui.services.admin import Admin


@pytest.fixture
def admin(db, now) -> Admin:
    return Admin(db, now=now)


@pytest.fixture
def boss(desk):
    return desk.actor("admin")
