"""The house's shape: each layer imports only those below it, and no function outgrows a screen.

The direction is checked by import-linter (its contract is in pyproject.toml, `[tool.importlinter]`):
hub > accounts > comments > videos > papers > shared. The shared pieces import no app; papers knows nothing of
videos or comments; the project package `hub` only wires.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from django.conf import settings

PACKAGES = ("shared", "papers", "videos", "comments", "accounts", "hub", "bench")
MAX_FUNCTION_LINES = 60


def test_each_layer_imports_only_the_layers_below_it():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=settings.BASE_DIR, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def _functions(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node.name, node.end_lineno - node.lineno + 1, node.lineno


def test_no_function_is_longer_than_a_screen():
    too_long = [
        f"{path}:{line} {name} ({length} lines)"
        for package in PACKAGES
        for path in sorted((Path(settings.BASE_DIR) / package).rglob("*.py"))
        if "migrations" not in path.parts
        for name, length, line in _functions(path)
        if length > MAX_FUNCTION_LINES
    ]
    assert not too_long, "\n".join(too_long)
