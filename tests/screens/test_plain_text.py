"""Text that people type is shown as they typed it: never read as markup.

Textual and Rich read a str as markup: a requester named "Ana [/var]" stopped
the app for every agent who opened the ticket, and "[link=...]" showed a live
link. Here every text field of a ticket, its comment and wait reason, its
service, category, group and agent hold markup-looking text, and every screen
that shows them is read back as painted.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from textual.geometry import Region

import mesa_tui
from mesa_tui.domain.catalog import CatalogEntry
from mesa_tui.screens.admin.catalog import ServiceDialog
from mesa_tui.screens.admin.staff import AgentDialog
from mesa_tui.screens.agent.queue import QueueScreen
from mesa_tui.screens.agent.ticket import TicketScreen
from mesa_tui.screens.agent.ticket_dialogs import AssignDialog
from mesa_tui.screens.dialogs import ConfirmDialog
from mesa_tui.services.admin import Admin
from tests.screens.admin.support import open_admin, press
from tests.screens.supervisor.support import show
from tests.screens.support import settle, shown_texts, toasts
from tests.support import actor_of, system_of

MARKUP = "[/x] [b]x[/b] [link=file:///etc/passwd]x[/link]"
WIDE = (200, 50)


def squeezed(text: str) -> str:
    """Without spaces, line breaks and a toast's left border: a long value wraps inside its widget."""
    return "".join(text.replace("▌", " ").split())


def on_screen(app, text: str) -> bool:
    """Whether one widget of the screen on top shows `text` literally (wrapped or not)."""
    return any(squeezed(text) in squeezed(shown) for shown in shown_texts(app))


def assert_plain(app, *values: str) -> None:
    missing = [v for v in values if not on_screen(app, v)]
    assert not missing, (missing, shown_texts(app))
    links = [
        seg.style.link
        for widget in app.screen.walk_children(with_self=False)
        if widget.display and widget.outer_size.area
        for strip in widget.render_lines(Region(0, 0, *widget.outer_size))
        for seg in strip
        if seg.style is not None and seg.style.link
    ]
    assert links == []
    assert app.is_running and app.return_code is None


@pytest.fixture
def marked(desk, db, now, log):
    """A category, service, group and agent named with markup, and two tickets:
    `waiting` has every text field so, a comment and a wait reason, held by that
    agent; `new` is unassigned."""
    admin = Admin(db, now=now)
    root = actor_of(desk, "admin")
    category = admin.add_category(root, f"Cat {MARKUP}")
    admin.create_service(
        root,
        CatalogEntry(
            "SER-900",
            f"Servicio {MARKUP}",
            f"Desc {MARKUP}",
            category.name,
            f"Usuarios {MARKUP}",
            f"Horario {MARKUP}",
            f"Canales {MARKUP}",
            f"ANS {MARKUP}",
        ),
    )
    group = admin.create_group(root, f"Grupo {MARKUP}", 1)
    admin.create_agent(root, "hostil", f"Agente {MARKUP}", "agent", 1, group.id)
    waiting = log(
        by="supervisor",
        service_code="SER-900",
        requester_name=f"Ana {MARKUP}",
        requester_dependency=f"Dep {MARKUP}",
        requester_contact="[/x][b]x[/b][link=file:///etc/passwd]x[/link]@ent.gov.co",
        subject=f"Asunto {MARKUP}",
        description=f"Descripción {MARKUP}",
    )
    desk.assign(actor_of(desk, "supervisor"), waiting.id, agent_login="hostil")
    agent = actor_of(desk, "hostil")
    desk.comment(agent, waiting.id, f"Comentario {MARKUP}")
    desk.wait(agent, waiting.id, f"Espera {MARKUP}")
    new = log(by="supervisor", service_code="SER-900", subject=f"Otro {MARKUP}", requester_name=f"Luis {MARKUP}")
    return {
        "waiting": desk.get(system_of(desk), waiting.id),
        "new": desk.get(system_of(desk), new.id),
        "category_id": category.id,
    }


async def test_a_ticket_full_of_markup_reads_as_typed(make_app, marked):
    waiting, new = marked["waiting"], marked["new"]
    app = make_app("hostil")
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, QueueScreen)
        assert_plain(app, f"Agente {MARKUP}", f"Asunto {MARKUP}")

        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, TicketScreen)
        assert app.screen.view.info.code == waiting.code
        assert_plain(
            app,
            waiting.requester_name,
            waiting.requester_dependency,
            waiting.requester_contact,
            waiting.subject,
            waiting.description,
            waiting.service_name,
            waiting.service_category,
            waiting.group_name,
            waiting.agent_name,
            f"Comentario {MARKUP}",
            f"Espera {MARKUP}",
        )

        await pilot.press("escape", "2")  # the unassigned tickets
        await settle(app, pilot)
        await pilot.press("t")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert_plain(app, f"«{new.subject}»")
        await pilot.press("enter")
        await settle(app, pilot)
        taken = f"{new.code} tomado: queda a cargo de Agente {MARKUP}"
        assert ("information", taken) in toasts(app)
        assert_plain(app, taken)


async def test_the_board_the_overview_and_a_dialog_read_markup_as_typed(make_app, marked):
    app = make_app("supervisor")
    async with app.run_test(size=WIDE) as pilot:
        await show(app, pilot, "board")
        await pilot.press("5")  # every open ticket
        await settle(app, pilot)
        assert_plain(app, "Asunto [/x] [b]x[/b]", "Otro [/x] [b]x[/b]", "Agente [/x]")

        await pilot.press("j", "a")  # assign the new ticket: its dialog lists the agents and their groups
        await settle(app, pilot)
        assert isinstance(app.screen, AssignDialog)
        await pilot.press("enter")  # open the list of agents
        await settle(app, pilot)
        assert_plain(app, f"Agente {MARKUP} (Grupo {MARKUP})")
        await pilot.press("escape", "escape")
        await settle(app, pilot)

        await pilot.press("f3")
        await settle(app, pilot)
        assert_plain(app, "Agente [/x]", "Servicio [/x] [b]x[/b]", "Cat [/x] [b]x[/b]")


async def test_admin_forms_read_markup_as_typed(make_app, marked):
    app = make_app("admin")
    async with app.run_test(size=WIDE) as pilot:
        await open_admin(app, pilot, "catalog")
        await press(app, pilot, "slash", *"SER-900", "enter")
        assert_plain(app, f"Servicio {MARKUP}", f"Desc {MARKUP}", f"Canales {MARKUP}")
        await press(app, pilot, "e")
        assert isinstance(app.screen, ServiceDialog)
        assert_plain(app, f"Cat {MARKUP}")
        await press(app, pilot, "escape")

        await open_admin(app, pilot, "agents")
        await press(app, pilot, "slash", *"hostil", "enter")
        await press(app, pilot, "e")
        assert isinstance(app.screen, AgentDialog)
        assert_plain(app, f"Grupo {MARKUP}")
        await press(app, pilot, "escape", "d")
        assert isinstance(app.screen, ConfirmDialog)
        assert_plain(app, f"Agente {MARKUP} (hostil)")
        await press(app, pilot, "escape")

        screen = await open_admin(app, pilot, "categories")
        table = screen.panel("categories").table
        table.move_cursor(row=table.keys.index(str(marked["category_id"])))
        await press(app, pilot, "e")
        assert_plain(app, f"Renombrar «Cat {MARKUP}»")
        await press(app, pilot, "ctrl+u")
        await pilot.press(*"Otra [/y]")
        await press(app, pilot, "enter")
        assert ("information", "Categoría «Otra [/y]» guardada") in toasts(app)
        assert_plain(app, "Otra [/y]")


def test_every_toast_is_sent_as_plain_text():
    """Toasts quote subjects, names and refusals: every `notify` of the desk passes
    markup=False (Textual reads a toast as markup otherwise)."""
    package = Path(mesa_tui.__file__).parent
    parsed = []
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "notify":
                markup = next((k.value for k in node.keywords if k.arg == "markup"), None)
                parsed.append(
                    (f"{path.relative_to(package)}:{node.lineno}", ast.literal_eval(markup) if markup else True)
                )
    assert len(parsed) > 20  # the audit found the toasts
    assert [where for where, markup in parsed if markup is not False] == []
