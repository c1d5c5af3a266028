"""Alembic, driven from code: `mesa db upgrade` and the drift test use this."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from mesa_tui.store.engine import Database


def migrations_dir() -> Path:
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "db" / "migrations"
        if (candidate / "env.py").exists():
            return candidate
    candidate = Path.cwd() / "db" / "migrations"
    if (candidate / "env.py").exists():
        return candidate
    raise FileNotFoundError("db/migrations not found: run mesa from the project folder")


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.set_main_option("sqlalchemy.url", url)
    return cfg


def upgrade(db: Database, revision: str = "head") -> None:
    cfg = alembic_config(db.url)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def revision(db: Database, message: str) -> None:
    cfg = alembic_config(db.url)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.revision(cfg, message=message, autogenerate=True)
