"""The commands of the Makefile and the shell scripts reach their code wherever it lives
(`ops/`, `bench/`, `deploy/`, `rasa_server/`), and the operators' commands answer through
`make` on a fresh database. `make run` and `make cluster` are proven by the integration tests,
the widget by the browser test; `make bench` takes minutes and is run by hand."""

from __future__ import annotations

import importlib
import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAUNCHERS = [ROOT / "Makefile", ROOT / ".ci" / "run", *sorted((ROOT / "scripts").glob("*.sh"))]
TEXT = {path.name: path.read_text(encoding="utf-8") for path in LAUNCHERS}


def modules_started() -> set[str]:
    return {m for text in TEXT.values() for m in re.findall(r"-m ([a-z_][\w.]*)", text)}


def files_started() -> set[str]:
    found = {f for text in TEXT.values() for f in re.findall(r"\b(scripts/[\w.]+)", text)}
    return found - {"scripts/"}


def test_the_launchers_start_every_folder_of_commands() -> None:
    started = {name.split(".")[0] for name in modules_started()}
    assert {"ops", "bench", "deploy", "rasa_server", "scripts"} <= started


@pytest.mark.parametrize("module", sorted(modules_started() - {"pip", "venv"}))
def test_every_module_a_launcher_starts_imports(module: str) -> None:
    name = f"{module}.__main__" if module == "rasa_server" else module
    assert importlib.util.find_spec(name) is not None
    if module != "rasa_server":  # its __main__ is guarded too, but would import all of Rasa
        importlib.import_module(name)


@pytest.mark.parametrize("path", sorted(files_started()))
def test_every_script_a_launcher_names_exists(path: str) -> None:
    assert (ROOT / path).is_file()


def make(*arguments: str, database: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "DATABASE_URL": database}
    return subprocess.run(
        ["make", "--no-print-directory", *arguments], cwd=ROOT, env=environment,
        capture_output=True, text=True, timeout=300,
    )


def test_the_operators_commands_answer_on_a_fresh_database(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'fresh.db'}"
    report = make("report", "DAY=2026-11-26", database=database)
    assert report.returncode == 0, report.stderr
    assert "26/11/2026" in report.stdout and "Conversazioni:           0" in report.stdout
    requests = make("requests", database=database)
    assert requests.returncode == 0 and "0 support requests" in requests.stdout
    transcript = make("transcript", "ID=nobody", database=database)
    assert transcript.returncode != 0
    assert "No conversation with id 'nobody'" in transcript.stderr
