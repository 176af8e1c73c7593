"""Settings: packaged defaults, a user's file over them, errors that name the file."""
from __future__ import annotations

from pathlib import Path

import pytest

from rasad.errors import SettingsError
from rasad.settings import Settings, load_settings


def test_defaults_leave_background_events_out() -> None:
    assert load_settings(None).background_events is False


def test_user_file_overrides_only_its_keys(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text("[output]\nbackground_events = true\n", encoding="utf-8")
    settings = load_settings(path)
    assert settings.background_events is True
    default = Settings()
    assert settings.standalone_strategic_developments == default.standalone_strategic_developments


def test_unknown_key_is_an_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[output]\nbackgrond_events = true\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="bad.toml: unknown settings: backgrond_events"):
        load_settings(path)


def test_malformed_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("[output\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="broken.toml"):
        load_settings(path)
