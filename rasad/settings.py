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


def _flatten(data: dict[str, Any]) -> dict[str, Any]:
    """Section tables flattened to one namespace; a key outside a section stays as is."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            out.update(value)
        else:
            out[key] = value
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
        user = _read(Path(user_file))
        known = {f.name for f in fields(Settings)}
        unknown = sorted(set(user) - known)
        if unknown:
            raise SettingsError(f"{user_file}: unknown settings: {', '.join(unknown)} "
                                f"(known: {', '.join(sorted(known))})")
        values.update(user)
    for f in fields(Settings):
        expected = type(getattr(Settings(), f.name))
        if f.name in values and not isinstance(values[f.name], expected | int):
            raise SettingsError(f"setting {f.name} must be {expected.__name__}, "
                                f"not {values[f.name]!r}")
    return Settings(**values)
