"""The house rules on size (CONTRIBUTING.md): no module over 400 lines and no function over
50, in the application, the tests and the benchmark alike. Generated migrations aside."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 50
SOURCES = sorted(
    path for folder in ("crm", "tests", "bench") for path in (ROOT / folder).rglob("*.py")
) + sorted(ROOT.glob("*.py"))


def long_functions(source: str) -> list[tuple[str, int]]:
    """(name, lines) of each function or method longer than MAX_FUNCTION_LINES."""
    return [
        (node.name, node.end_lineno - node.lineno + 1)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: str(path.relative_to(ROOT)))
def test_modules_and_functions_stay_short(path):
    source = path.read_text(encoding="utf-8")
    assert len(source.splitlines()) <= MAX_MODULE_LINES, "split the module by what it does"
    assert long_functions(source) == [], "split these into named steps"


def test_a_long_function_is_noticed():
    body = "\n".join(f"    x{n} = {n}" for n in range(MAX_FUNCTION_LINES))
    assert long_functions(f"def short():\n    pass\n\ndef long():\n{body}\n") == [
        ("long", MAX_FUNCTION_LINES + 1)
    ]
