"""Each administration tab and its main dialogs at 120x40 with the test clock (Wednesday
18 November 2026, 09:00 in Bogotá).

Regenerate after a deliberate change with
`pytest tests/screens/test_admin_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

from datetime import date

import pytest
from textual.screen import ModalScreen

from mesa_tui.screens.admin.screen import AdminScreen
from mesa_tui.services.admin import Admin
from tests.screens.admin.support import AREA_KEYS
from tests.screens.support import SIZE, settle
from tests.support import actor_of


def _admin(area: str = "catalog", *keys: str):
    async def run_before(pilot) -> None:
        app = pilot.app
        await settle(app, pilot)
        app.push_screen(AdminScreen(app.ctx))
        await settle(app, pilot)
        for key in ([AREA_KEYS[area]] if area != "catalog" else []) + list(keys):
            await pilot.press(key)
            await settle(app, pilot)
        if keys and keys[-1] in ("e", "n"):
            # The dialog opens once its worker has read the form's data; on a
            # loaded machine (or PostgreSQL) that can take more than a settle.
            for _ in range(100):
                if isinstance(app.screen, ModalScreen):
                    break
                await pilot.pause(0.05)
            await settle(app, pilot)

    return run_before


@pytest.fixture
def admin_data(db, desk, now):
    """A little of everything an admin edits beyond the seed: a category policy, an
    inactive service, an extra closure, a schedule for SER-001 (the seed's Monday to
    Friday until 18:00) and an inactive one."""
    admin = Admin(db, now=now)
    boss = actor_of(desk, "admin")
    admin.save_policy(boss, "SEGURIDAD", "alta", 30, 4 * 60, "24x7")
    admin.create_schedule(boss, "Lun–vie 08:00–18:00", ["08:00-18:00"] * 5 + ["", ""])
    admin.set_service_schedule(boss, "SER-001", "HOR-001")
    admin.create_schedule(boss, "Capacitación", ["08:00-12:00, 14:00-16:00"] * 4 + ["08:00-12:00", "", ""])
    admin.set_schedule_active(boss, "HOR-002", False)
    admin.set_service_active(boss, "SER-026", False)
    admin.add_closure(boss, date(2026, 12, 24), "Decreto 0451 de 2026: jornada compensada")
    return admin


def test_admin_catalog(snap_compare, make_app, admin_data):
    assert snap_compare(make_app("admin"), terminal_size=SIZE, run_before=_admin())


def test_admin_categories(snap_compare, make_app, admin_data):
    assert snap_compare(make_app("admin"), terminal_size=SIZE, run_before=_admin("categories"))


def test_admin_policies(snap_compare, make_app, admin_data):
    assert snap_compare(make_app("admin"), terminal_size=SIZE, run_before=_admin("policies"))


def test_admin_matrix(snap_compare, make_app, admin_data):
    assert snap_compare(make_app("admin"), terminal_size=SIZE, run_before=_admin("matrix"))


def test_admin_agents(snap_compare, make_app, varied_tickets):
    assert snap_compare(make_app("admin"), terminal_size=SIZE, run_before=_admin("agents"))


def test_admin_groups(snap_compare, make_app, varied_tickets):
    assert snap_compare(make_app("admin"), terminal_size=SIZE, run_before=_admin("groups"))


def test_admin_calendar(snap_compare, make_app, admin_data):
    assert snap_compare(make_app("admin"), terminal_size=SIZE, run_before=_admin("calendar"))


def test_admin_schedules(snap_compare, make_app, admin_data):
    assert snap_compare(make_app("admin"), terminal_size=SIZE, run_before=_admin("schedules", "j", "j"))


def test_admin_schedule_dialog(snap_compare, make_app, admin_data):
    assert snap_compare(make_app("admin"), terminal_size=SIZE, run_before=_admin("schedules", "j", "j", "e"))


def test_admin_settings(snap_compare, make_app, admin_data):
    assert snap_compare(make_app("admin"), terminal_size=SIZE, run_before=_admin("settings"))


def test_admin_service_dialog(snap_compare, make_app, admin_data):
    assert snap_compare(make_app("admin"), terminal_size=SIZE, run_before=_admin("catalog", "e"))


def test_admin_policy_dialog(snap_compare, make_app, admin_data):
    assert snap_compare(make_app("admin"), terminal_size=SIZE, run_before=_admin("policies", "j", "j", "e"))


def test_admin_agent_dialog(snap_compare, make_app, admin_data):
    assert snap_compare(make_app("admin"), terminal_size=SIZE, run_before=_admin("agents", "n"))


def test_admin_import_refused(snap_compare, make_app, admin_data, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "c.tsv").write_text(
        "code\tname\tdescription\tcategory\tusers\thours\tchannels\tans_text\tactive\n"
        "SER-040\tFirma\tCertificados\tSEGURIDAD\tTodos\t24x7\tCorreo\t4 h\tsí\n"
        "SER-41\tSellado\tEstampado\tSEGURIDAD\tTodos\t24x7\tCorreo\t4 h\tquizá\n",
        encoding="utf-8",
    )
    keys = ("i", "c", "full_stop", "t", "s", "v", "enter")
    assert snap_compare(make_app("admin"), terminal_size=SIZE, run_before=_admin("catalog", *keys))
