"""One settings object: defaults in ``rasad/data/settings.toml``, user files override keys."""
from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, fields
from importlib import resources
from pathlib import Path
from typing import Any

from rasad.errors import SettingsError


@dataclass(frozen=True, slots=True)
class Settings:
    background_events: bool = False
    standalone_strategic_developments: bool = False
    max_input_mb: float = 20.0


def _flatten(data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for value in data.values():
        if isinstance(value, dict):
            out.update(value)
    return out


def _read(path: Path) -> dict[str, Any]:
    try:
        return _flatten(tomllib.loads(path.read_text(encoding="utf-8")))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(f"{path}: cannot read settings: {exc}") from exc


@functools.cache
def default_settings() -> Settings:
    return load_settings(None)


def load_settings(user_file: str | Path | None) -> Settings:
    """Defaults, then the keys of ``user_file``; unknown keys are an error."""
    values = _read(Path(str(resources.files("rasad") / "data" / "settings.toml")))
    if user_file is not None:
        values.update(_read(Path(user_file)))
    known = {f.name for f in fields(Settings)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise SettingsError(f"unknown settings: {', '.join(unknown)}")
    return Settings(**values)
