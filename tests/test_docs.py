"""What a newcomer reads: every command explains itself and the README shows it."""
from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from rasad.cli import main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    out: list[tuple[str, click.Command]] = []
    for name, command in sorted(group.commands.items()):
        full = f"{prefix}{name}"
        out.append((full, command))
        if isinstance(command, click.Group):
            out.extend(_commands(command, full + " "))
    return out


@pytest.mark.parametrize("name, command", _commands(main), ids=lambda v: str(v))
def test_every_command_has_help(name: str, command: click.Command) -> None:
    result = CliRunner().invoke(main, [*name.split(), "--help"])
    assert result.exit_code == 0, result.output
    assert (command.help or "").strip(), f"rasad {name} has no help text"


@pytest.mark.parametrize("name", sorted(main.commands))
def test_readme_shows_every_top_level_command(name: str) -> None:
    assert f"rasad {name}" in README


def test_readme_gives_the_two_commands() -> None:
    assert "pip install -e . && rasad extract examples/articles.jsonl" in README
    assert "pip install -e '.[test]' && python3 -m pytest" in README
