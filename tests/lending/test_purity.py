import ast
import sys
from pathlib import Path

import pytest

import crm.lending

SOURCES = sorted(Path(crm.lending.__file__).parent.glob("*.py"))


def imported_modules(source: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            modules.add(node.module or "")
    return modules


@pytest.mark.parametrize("source", SOURCES, ids=lambda path: path.name)
def test_lending_uses_only_the_standard_library_and_itself(source):
    outside = {
        module
        for module in imported_modules(source)
        if module.split(".")[0] not in sys.stdlib_module_names
        and not module.startswith("crm.lending")
    }
    assert not outside, f"{source.name} imports {sorted(outside)}"
