"""The catalog and categories tabs, driven by keys; the database and the audit trail checked after."""

from __future__ import annotations

from mesa_tui.screens.admin.catalog import ServiceDialog
from mesa_tui.screens.admin.catalog_file import ExportDialog, ImportDialog
from mesa_tui.screens.dialogs import ConfirmDialog
from mesa_tui.services.admin import Admin
from tests.screens.admin.support import audit, field_error, open_admin, press, shown, type_text
from tests.screens.support import SIZE, toasts
from tests.support import system_of

# The seeded categories in the Select, after its blank prompt: SEGURIDAD is the 7th.
SEGURIDAD_DOWNS = 7


def service(admin: Admin, code: str):
    return next((e for e in admin.services(system_of(admin)) if e.code == code), None)


async def test_create_edit_and_deactivate_a_service_by_keys(make_app, db, now):
    admin = Admin(db, now=now)
    app = make_app("admin")
    async with app.run_test(size=SIZE) as pilot:
        await open_admin(app, pilot)

        # n: a new entry, offered the next free code.
        await press(app, pilot, "n")
        assert isinstance(app.screen, ServiceDialog)
        assert app.screen.query_one("#input-code").value == "SER-035"
        await press(app, pilot, "tab", "enter", *["down"] * SEGURIDAD_DOWNS, "enter")  # categoría
        await press(app, pilot, "tab", "tab")  # past «Activo», to the name
        await type_text(pilot, "Firma")
        await press(app, pilot, "tab")
        await type_text(pilot, "Certificados")
        await press(app, pilot, "tab")
        await type_text(pilot, "Todos")
        await press(app, pilot, "ctrl+s")
        assert not isinstance(app.screen, ServiceDialog)
        created = service(admin, "SER-035")
        assert (created.name, created.category, created.description, created.users, created.active) == (
            "Firma",
            "SEGURIDAD",
            "Certificados",
            "Todos",
            True,
        )
        (event,) = audit(db, "service", "SER-035")
        assert event.action == "crear"
        assert event.changes["name"] == [None, "Firma"]
        assert event.actor_id == app.ctx.actor.id
        assert ("information", "SER-035 creado en el catálogo: Firma") in toasts(app)
        table = app.screen.query_one("#catalog-table")
        assert table.current_key == "SER-035"

        # e: every field, the code too.
        await press(app, pilot, "e")
        assert isinstance(app.screen, ServiceDialog)
        await press(app, pilot, "ctrl+u")
        await type_text(pilot, "SER-040")
        await press(app, pilot, "tab", "tab", "tab", "end")
        await type_text(pilot, " PKI")
        await press(app, pilot, "ctrl+s")
        assert service(admin, "SER-035") is None
        assert service(admin, "SER-040").name == "Firma PKI"
        event = audit(db, "service", "SER-040")[-1]
        assert event.action == "modificar"
        assert event.changes == {"code": ["SER-035", "SER-040"], "name": ["Firma", "Firma PKI"]}
        assert table.current_key == "SER-040"

        # d: deactivated after a confirmation, never deleted; d again activates it.
        await press(app, pilot, "d")
        assert isinstance(app.screen, ConfirmDialog)
        await press(app, pilot, "enter")
        assert service(admin, "SER-040").active is False
        assert audit(db, "service", "SER-040")[-1].action == "desactivar"
        assert "Inactivo" in str(table.get_row("SER-040")[-1])
        await press(app, pilot, "d", "enter")
        assert service(admin, "SER-040").active is True
        assert [e.action for e in audit(db, "service", "SER-040")][-2:] == ["desactivar", "activar"]


async def test_bad_service_input_is_refused_at_the_field_and_nothing_is_saved(make_app, db, now):
    admin = Admin(db, now=now)
    before = admin.services(system_of(admin))
    app = make_app("admin")
    async with app.run_test(size=SIZE) as pilot:
        await open_admin(app, pilot)
        await press(app, pilot, "e")  # SER-001
        assert isinstance(app.screen, ServiceDialog)

        await press(app, pilot, "ctrl+u")
        await type_text(pilot, "SER-12")
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, ServiceDialog)
        assert "no tiene la forma SER-NNN" in field_error(app, "code")

        await press(app, pilot, "ctrl+u")
        await type_text(pilot, "SER-002")
        await press(app, pilot, "ctrl+s")
        assert "El código SER-002 ya está en uso" in field_error(app, "code")

        await press(app, pilot, "ctrl+u")
        await type_text(pilot, "SER-001")
        await press(app, pilot, "tab", "tab", "tab", "ctrl+u", "ctrl+s")
        assert field_error(app, "name") == "El nombre está vacío."
        assert field_error(app, "code") == ""
        assert app.screen.focused.id == "input-name"

        await press(app, pilot, "escape")
        assert not isinstance(app.screen, ServiceDialog)
    assert admin.services(system_of(admin)) == before
    assert [e.action for e in audit(db, "service", "SER-001")] == ["crear"]  # the seed import only


async def test_search_filters_the_list(make_app):
    app = make_app("admin")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_admin(app, pilot)
        await press(app, pilot, "slash")
        await type_text(pilot, "antivirus")
        await press(app, pilot, "enter")
        table = screen.query_one("#catalog-table")
        assert table.keys == ["SER-007", "SER-026"]
        assert app.screen.focused is table
        await press(app, pilot, "slash", "escape")
        assert len(table.keys) == 33


async def test_import_refuses_a_malformed_file_naming_the_line(make_app, db, now, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # relative paths are read from where mesa was started
    admin = Admin(db, now=now)
    before = admin.services(system_of(admin))
    bad = tmp_path / "catalogo.tsv"
    bad.write_text(
        admin.export_catalog(system_of(admin)).replace("SER-002\t", "SER-2\t"),
        encoding="utf-8",
    )
    line = next(
        n for n, text in enumerate(bad.read_text(encoding="utf-8").splitlines(), 1) if text.startswith("SER-2\t")
    )
    app = make_app("admin")
    async with app.run_test(size=SIZE) as pilot:
        await open_admin(app, pilot)
        await press(app, pilot, "i")
        assert isinstance(app.screen, ImportDialog)
        await type_text(pilot, "catalogo.tsv")
        await press(app, pilot, "enter")
        assert field_error(app, "catalog") == f"línea {line}: código 'SER-2' no tiene la forma SER-NNN"
        await press(app, pilot, "ctrl+s")  # still refused: the file is read again
        assert isinstance(app.screen, ImportDialog)
        assert f"línea {line}:" in field_error(app, "catalog")

        await press(app, pilot, "ctrl+u")
        await type_text(pilot, "otro.tsv")
        await press(app, pilot, "enter")
        assert field_error(app, "path").startswith("No existe el archivo")
    assert admin.services(system_of(admin)) == before


async def test_import_previews_then_imports_the_file(make_app, db, now, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    admin = Admin(db, now=now)
    text = admin.export_catalog(system_of(admin))
    text = text.replace("\tAntivirus\t", "\tAntivirus corporativo\t", 1)
    text += "SER-035\tFirma electrónica\tCertificados\tSEGURIDAD\tFuncionarios\tLunes a viernes\tCorreo\t2 días\tsí\n"
    file = tmp_path / "catalogo.tsv"
    file.write_text(text, encoding="utf-8")
    app = make_app("admin")
    async with app.run_test(size=SIZE) as pilot:
        await open_admin(app, pilot)
        await press(app, pilot, "i")
        await type_text(pilot, "catalogo.tsv")
        await press(app, pilot, "enter")
        preview = shown(app.screen.query_one("#import-preview"))
        assert "34 servicios en el archivo: 1 nuevo · 1 modificado · 32 sin cambios." in preview
        assert service(admin, "SER-035") is None  # a preview writes nothing
        await press(app, pilot, "ctrl+s")
        assert not isinstance(app.screen, ImportDialog)
    assert service(admin, "SER-035").name == "Firma electrónica"
    assert service(admin, "SER-007").name == "Antivirus corporativo"
    assert audit(db, "service", "SER-035")[-1].action == "crear"
    assert audit(db, "service", "SER-007")[-1].changes == {"name": ["Antivirus", "Antivirus corporativo"]}
    assert ("information", "Catálogo importado: 1 nuevo, 1 modificado, 32 sin cambios") in toasts(app)


async def test_export_writes_the_catalog_file_and_asks_before_replacing(make_app, db, now, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "export.tsv"
    target.write_text("viejo", encoding="utf-8")
    app = make_app("admin")
    async with app.run_test(size=SIZE) as pilot:
        await open_admin(app, pilot)
        await press(app, pilot, "x")
        assert isinstance(app.screen, ExportDialog)
        await press(app, pilot, "ctrl+u")
        await type_text(pilot, "export.tsv")
        await press(app, pilot, "ctrl+s")
        assert field_error(app, "path") == "El archivo ya existe: pulse Ctrl+S otra vez para reemplazarlo."
        assert target.read_text(encoding="utf-8") == "viejo"
        await press(app, pilot, "ctrl+s")
        assert not isinstance(app.screen, ExportDialog)
    assert target.read_text(encoding="utf-8") == Admin(db, now=now).export_catalog(system_of(Admin(db, now=now)))
    assert ("information", f"Catálogo exportado: 33 servicios en {target}") in toasts(app)


async def test_catalog_paths_that_cannot_be_files_are_said_at_the_field(make_app, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    unusable = "~usuario_que_no_existe/catalogo.tsv"
    app = make_app("admin")
    async with app.run_test(size=SIZE) as pilot:
        await open_admin(app, pilot)
        await press(app, pilot, "x")
        await press(app, pilot, "ctrl+u")
        await type_text(pilot, unusable)
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, ExportDialog)
        assert field_error(app, "path").startswith(f"No es una ruta que se pueda usar: {unusable}")
        await press(app, pilot, "ctrl+u")
        await type_text(pilot, "x" * 300 + ".tsv")  # too long a name for the file system
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, ExportDialog)
        assert field_error(app, "path").startswith("No se pudo escribir")
        await press(app, pilot, "escape", "i")
        assert isinstance(app.screen, ImportDialog)
        await type_text(pilot, unusable)
        await press(app, pilot, "enter")
        assert field_error(app, "path").startswith(f"No es una ruta que se pueda usar: {unusable}")
        assert app.is_running


async def test_categories_are_added_and_renamed(make_app, db, now):
    admin = Admin(db, now=now)
    app = make_app("admin")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_admin(app, pilot, "categories")
        await press(app, pilot, "n")
        await type_text(pilot, "Seguridad")
        await press(app, pilot, "enter")
        assert field_error(app, "name") == "Ya existe la categoría «SEGURIDAD»."
        await press(app, pilot, "ctrl+u")
        await type_text(pilot, "DATOS")
        await press(app, pilot, "enter")
        added = next(c for c in admin.categories(system_of(admin)) if c.name == "DATOS")
        assert screen.query_one("#categories-table").current_key == str(added.id)

        await press(app, pilot, "e", "end")
        await type_text(pilot, " ABIERTOS")
        await press(app, pilot, "enter")
    assert [c.name for c in admin.categories(system_of(admin)) if c.id == added.id] == ["DATOS ABIERTOS"]
    assert [(e.action, e.changes) for e in audit(db, "category", str(added.id))] == [
        ("crear", {"name": [None, "DATOS"]}),
        ("modificar", {"name": ["DATOS", "DATOS ABIERTOS"]}),
    ]
