"""Files written beside their target under a fresh name and renamed into place."""

from __future__ import annotations

import os

import pytest

from mesa_tui.store.files import replacing


def test_the_new_contents_replace_the_target_at_the_end(tmp_path):
    target = tmp_path / "report.csv"
    target.write_bytes(b"old\n")
    with replacing(target) as out:
        out.write(b"new\n")
        assert target.read_bytes() == b"old\n"  # readers see the old file until the end
        (tmp,) = [p for p in tmp_path.iterdir() if p != target]
        assert tmp.name.startswith(".mesa-") and tmp.name.endswith(".tmp")
    assert target.read_bytes() == b"new\n"
    assert list(tmp_path.iterdir()) == [target]


def test_a_failure_leaves_the_target_and_no_temporary(tmp_path):
    target = tmp_path / "report.csv"
    target.write_bytes(b"old\n")
    with pytest.raises(KeyboardInterrupt), replacing(target) as out:
        out.write(b"half")
        raise KeyboardInterrupt
    assert target.read_bytes() == b"old\n"
    assert list(tmp_path.iterdir()) == [target]


def test_a_link_at_the_target_is_replaced_not_followed(tmp_path):
    victim = tmp_path / "victim"
    victim.write_bytes(b"keep")
    target = tmp_path / "report.csv"
    target.symlink_to(victim)
    with replacing(target) as out:
        out.write(b"report")
    assert victim.read_bytes() == b"keep"
    assert not target.is_symlink() and target.read_bytes() == b"report"


def test_a_missing_folder_or_a_folder_at_the_target_is_an_os_error(tmp_path):
    with pytest.raises(FileNotFoundError), replacing(tmp_path / "no-such" / "r.csv") as out:
        out.write(b"x")
    (tmp_path / "r.csv").mkdir()
    with pytest.raises(IsADirectoryError), replacing(tmp_path / "r.csv") as out:
        out.write(b"x")
    assert [p.name for p in tmp_path.iterdir()] == ["r.csv"]


@pytest.mark.parametrize(
    ("umask", "mode", "expected"), [(0o022, 0o666, 0o644), (0o077, 0o666, 0o600), (0o022, 0o600, 0o600)]
)
def test_permissions_are_those_of_open_less_the_umask(tmp_path, umask, mode, expected):
    old = os.umask(umask)
    try:
        with replacing(tmp_path / "f", mode=mode) as out:
            out.write(b"x")
    finally:
        os.umask(old)
    assert (tmp_path / "f").stat().st_mode & 0o777 == expected
