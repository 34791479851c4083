"""The direction of imports that the layout promises (README, "Layout"): the servers' code
never reaches into the operators' commands, the benchmark or the deployment helpers, and
the domain core stays plain Python."""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# What the Rasa server and the action server load: nothing of it may need the rest.
SERVED = ("actions", "channels", "stores", "rasa_server")
OUTSIDE_THE_SERVERS = {"ops", "bench", "deploy", "scripts", "tests"}
# The pricing, catalog, draft, dates and transcripts: no framework, no database.
PURE = "actions/domain"
NOT_IN_THE_CORE = {"rasa", "rasa_sdk", "sqlalchemy", "sanic", "aiohttp", "requests"}


def imported_packages(path: Path) -> Iterator[tuple[int, str]]:
    """The top-level package of each absolute import in a file (a relative one stays within
    its own package, so it cannot cross between the folders checked here)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module


def offending(folders: tuple[str, ...], forbidden: set[str]) -> list[str]:
    found = []
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            for line, module in imported_packages(path):
                if any(module == name or module.startswith(f"{name}.") for name in forbidden):
                    found.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return found


def test_the_servers_code_imports_no_command_benchmark_or_deployment_helper() -> None:
    assert offending(SERVED, OUTSIDE_THE_SERVERS) == []


def test_the_domain_core_imports_no_framework_or_database() -> None:
    assert offending((PURE,), NOT_IN_THE_CORE | {"actions.records"}) == []
    # A relative import out of the core would escape the check above.
    for path in (ROOT / PURE).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assert not [n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.level > 1]


@pytest.mark.parametrize("forbidden", sorted(OUTSIDE_THE_SERVERS))
def test_the_check_sees_an_import_of_each_forbidden_package(
    tmp_path: Path, forbidden: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "actions").mkdir()
    (tmp_path / "actions" / "x.py").write_text(f"import os\nfrom {forbidden}.thing import y\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert offending(("actions",), OUTSIDE_THE_SERVERS) == [
        f"actions/x.py:2 imports {forbidden}.thing"
    ]
