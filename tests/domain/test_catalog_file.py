"""The catalog file format: the real db/catalog.tsv, refusals with line numbers, round trip."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesa_tui.domain.catalog import (
    COLUMNS,
    HEADER,
    TEXT_FIELDS,
    CatalogEntry,
    CatalogFileError,
    ImportStatus,
    PreviewRow,
    clean_entry,
    compare_entries,
    diff_entry,
    format_catalog,
    parse_catalog,
    validate_entry,
)
from mesa_tui.domain.vocab import SEED_CATEGORIES

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "db" / "catalog.tsv"
SEED = ROOT.parent / "shared" / "seeds" / "004_5bafd5507764744f.txt"


def real_text() -> str:
    return CATALOG.read_text(encoding="utf-8")


def row(code="SER-001", name="Correo", description="Buzón", category="SEGURIDAD", active="sí", **other) -> str:
    values = {
        "code": code,
        "name": name,
        "description": description,
        "category": category,
        "users": "Funcionarios",
        "hours": "24 HORAS",
        "channels": "Correo",
        "ans_text": "ANS",
        "active": active,
    }
    values.update(other)
    return "\t".join(values[c] for c in COLUMNS)


def file_of(*rows: str) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


# --- the real catalog --------------------------------------------------------


def test_real_catalog_has_the_33_entries_of_the_source():
    entries = parse_catalog(real_text(), SEED_CATEGORIES)
    codes = [e.code for e in entries]
    assert len(entries) == 33
    assert codes == sorted(codes)
    assert "SER-034" in codes
    assert "SER-028" not in codes and "SFR-034" not in codes
    assert [e.code for e in entries if e.name == "Antivirus"] == ["SER-007", "SER-026"]
    assert all(e.active for e in entries)
    assert all(re.fullmatch(r"SER-\d{3}", c) for c in codes)


def test_real_catalog_keeps_the_source_verbatim():
    by_code = {e.code: e for e in parse_catalog(real_text(), SEED_CATEGORIES)}
    assert "se istan a continuación" in by_code["SER-001"].ans_text
    assert by_code["SER-016"].description.endswith("alteración indelista")
    assert by_code["SER-018"].users == "Funcionarios y contratistas del área de"
    assert by_code["SER-034"].name == "Administración de bases"
    assert by_code["SER-034"].category == "INFORMACIÓN"


def test_real_catalog_documents_the_source_problems():
    comments = "\n".join(line for line in real_text().splitlines() if line.startswith("#"))
    for fact in ("SFR-034", "SER-028", "Antivirus", "truncado"):
        assert fact in comments


@pytest.mark.skipif(not SEED.exists(), reason="seed documents not available")
def test_real_catalog_matches_every_field_of_the_seed_table():
    source = [
        line.split("\t") for line in SEED.read_text(encoding="utf-8").split("\n") if re.match(r"S[EF]R-\d{3}\t", line)
    ]
    expected = [CatalogEntry(code.replace("SFR-", "SER-"), *rest) for code, *rest in source]
    assert parse_catalog(real_text(), SEED_CATEGORIES) == expected


# --- refusals ----------------------------------------------------------------

GOOD = row("SER-001")
MALFORMED = [
    # (file text, line of the first error, words the message must contain)
    pytest.param(
        file_of(GOOD, row("SER-002")[: row("SER-002").rindex("\t")]), 3, ["faltan columnas", "9"], id="missing-column"
    ),
    pytest.param(file_of(GOOD, row("SER-002") + "\textra"), 3, ["sobran columnas"], id="extra-column"),
    pytest.param(
        file_of(GOOD, row("SER-002"), row("SER-001")), 4, ["'SER-001'", "repetido", "línea 2"], id="duplicate-code"
    ),
    pytest.param(file_of(GOOD, row("SER-7")), 3, ["'SER-7'", "SER-NNN"], id="short-code"),
    pytest.param(file_of(GOOD, row("SFR-034")), 3, ["'SFR-034'", "SER-NNN"], id="misprinted-code"),
    pytest.param(file_of(GOOD, row("ser-002")), 3, ["'ser-002'", "SER-NNN"], id="lowercase-code"),
    pytest.param(file_of(GOOD, row("SER-002", name="  ")), 3, ["nombre", "vacío"], id="empty-name"),
    pytest.param(
        file_of(GOOD, row("SER-002", category="REDES")), 3, ["categoría", "'REDES'", "no existe"], id="unknown-category"
    ),
    pytest.param(file_of(GOOD, row("SER-002", category="")), 3, ["categoría", "vacía"], id="empty-category"),
    pytest.param(file_of(GOOD, row("SER-002", active="quizá")), 3, ["activo", "'quizá'"], id="bad-active"),
    pytest.param(file_of(GOOD, row("SER-002", name="x" * 201)), 3, ["nombre", "200"], id="name-too-long"),
    pytest.param(GOOD + "\n", 1, ["falta la línea de encabezado"], id="missing-header"),
    pytest.param("# solo comentarios\n\n", 1, ["falta la línea de encabezado"], id="empty-file"),
    pytest.param(
        HEADER.rsplit("\t", 1)[0] + "\n" + GOOD + "\n", 1, ["encabezado", "'active'"], id="header-missing-column"
    ),
    pytest.param("\t".join(reversed(COLUMNS)) + "\n", 1, ["encabezado", "orden"], id="header-order"),
]


@pytest.mark.parametrize(("text", "line", "words"), MALFORMED)
def test_malformed_files_are_refused_naming_line_and_problem(text, line, words):
    with pytest.raises(CatalogFileError) as caught:
        parse_catalog(text, SEED_CATEGORIES)
    error = caught.value
    assert error.line == line
    assert error.problem.startswith(f"línea {line}: ")
    assert str(error).startswith(f"línea {line}: ")
    for word in words:
        assert word in error.problem


def test_every_error_is_listed_with_its_line():
    text = file_of(GOOD, row("SER-2"), row("SER-003"), row("SER-004", category="REDES", name=""))
    with pytest.raises(CatalogFileError) as caught:
        parse_catalog(text, SEED_CATEGORIES)
    error = caught.value
    assert [line for line, _ in error.errors] == [3, 5, 5]
    assert str(error).splitlines() == [f"línea {line}: {message}" for line, message in error.errors]


def test_long_error_lists_are_cut_in_the_message():
    text = file_of(*(row(f"X-{n}") for n in range(30)))
    with pytest.raises(CatalogFileError) as caught:
        parse_catalog(text, SEED_CATEGORIES)
    assert len(caught.value.errors) == 30
    assert str(caught.value).splitlines()[-1] == "... y 10 errores más"


def test_comments_blank_lines_bom_crlf_and_spaces_are_tolerated_and_lines_counted():
    entry_line = row(" SER-001 ", name=" Correo ", active="NO")
    text = "\ufeff# catálogo\r\n\r\n" + HEADER + "\r\n# nota\r\n" + entry_line + "\r\n"
    assert parse_catalog(text, SEED_CATEGORIES) == [
        CatalogEntry("SER-001", "Correo", "Buzón", "SEGURIDAD", "Funcionarios", "24 HORAS", "Correo", "ANS", False)
    ]
    with pytest.raises(CatalogFileError) as caught:
        parse_catalog(text + row("SER-9"), SEED_CATEGORIES)
    assert caught.value.line == 6


def test_header_only_is_an_empty_catalog():
    assert parse_catalog(file_of(), SEED_CATEGORIES) == []


# --- validate_entry ------------------------------------------------------------

ENTRY = CatalogEntry("SER-001", "Correo", "Buzón", "SEGURIDAD", "Funcionarios", "24 HORAS", "Correo", "ANS")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"code": "SER-0001"}, "code"),
        ({"code": "SER-00a"}, "code"),
        ({"code": "SER-001\n"}, "code"),
        ({"name": ""}, "name"),
        ({"category": "Seguridad"}, "category"),
        ({"description": "dos\tpartes"}, "description"),
        ({"ans_text": "dos\nlíneas"}, "ans_text"),
        ({"channels": "c" * 301}, "channels"),
    ],
)
def test_validate_entry_names_the_field(changes, field):
    problems = validate_entry(replace(ENTRY, **changes), SEED_CATEGORIES)
    assert field in [f for f, _ in problems]


def test_validate_entry_accepts_a_good_entry():
    assert validate_entry(ENTRY, SEED_CATEGORIES) == []


# --- format and round trip -------------------------------------------------------


def test_format_of_the_real_catalog_parses_back_to_the_same_entries():
    entries = parse_catalog(real_text(), SEED_CATEGORIES)
    text = format_catalog(entries)
    assert text.startswith("# ")
    assert text.splitlines()[1] == HEADER
    assert parse_catalog(text, SEED_CATEGORIES) == entries
    assert format_catalog(parse_catalog(text, SEED_CATEGORIES)) == text


def test_format_refuses_values_it_cannot_carry():
    with pytest.raises(ValueError):
        format_catalog([replace(ENTRY, description="a\tb")])
    with pytest.raises(ValueError):
        format_catalog([replace(ENTRY, code="#SER-001")])


values = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\t\n\r"), max_size=40)
entries = st.builds(
    CatalogEntry,
    code=st.from_regex(r"\ASER-[0-9]{3}\Z"),
    name=values.filter(lambda v: v.strip()),
    description=values,
    category=st.sampled_from(SEED_CATEGORIES),
    users=values,
    hours=values,
    channels=values,
    ans_text=values,
    active=st.booleans(),
).map(clean_entry)


@given(st.lists(entries, max_size=5, unique_by=lambda e: e.code))
def test_round_trip_is_lossless(generated):
    assert parse_catalog(format_catalog(generated), SEED_CATEGORIES) == generated


# --- comparing a file with the catalog in the database ---------------------------


def test_compare_entries_classifies_each_incoming_entry():
    current = {"SER-001": ENTRY, "SER-002": replace(ENTRY, code="SER-002")}
    incoming = [replace(ENTRY, description="Otra"), replace(ENTRY, code="SER-002"), replace(ENTRY, code="SER-003")]
    assert compare_entries(current, incoming) == [
        PreviewRow("SER-001", ImportStatus.MODIFICADO, ("description",)),
        PreviewRow("SER-002", ImportStatus.SIN_CAMBIOS, ()),
        PreviewRow("SER-003", ImportStatus.NUEVO, ()),
    ]


def test_diff_entry_gives_old_and_new_values():
    assert diff_entry(ENTRY, replace(ENTRY, active=False, name="Correo 365")) == {
        "name": ("Correo", "Correo 365"),
        "active": (True, False),
    }
    created = diff_entry(None, ENTRY)
    assert set(created) == set((*TEXT_FIELDS, "active")) - {"code"}
    assert all(old is None for old, _ in created.values())
