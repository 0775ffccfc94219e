"""Imports run downhill (CONTRIBUTING.md, "Layers").

    crm.lending (pure) → crm.models → shared helpers → services and queries → the web and
    the command line (routes, forms, admin, cli, the factory)

A module imports only from its own layer or the ones below it; crm.lending imports nothing
but the standard library and itself; services and queries never reach for the request, the
response or the logged-in user (they take what they need as arguments); and no feature
imports another feature's routes. Each source file is read with `ast`, so an import inside
a function counts as much as one at the top.
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import crm

ROOT = Path(crm.__file__).parent.parent
SOURCES = sorted(Path(crm.__file__).parent.rglob("*.py"))

PURE, MODELS, SHARED, DOMAIN, WEB = range(5)
LAYER_NAMES = {
    PURE: "crm.lending (pure)",
    MODELS: "the models",
    SHARED: "the shared helpers",
    DOMAIN: "services and queries",
    WEB: "the web and the command line",
}
#: Helpers every layer above the models may use; they import only the models and lending.
SHARED_MODULES = (
    "crm.extensions",
    "crm.clock",
    "crm.validation",
    "crm.i18n",
    # The password policy and hashing: the services of every entry point that sets one use it.
    "crm.auth.passwords",
    # A list's columns and rows written as CSV or XLSX: every export and report uses them.
    "crm.exports.columns",
    "crm.exports.writers",
)
#: What services and queries must be handed instead of reading it from Flask.
REQUEST_STATE = {
    "flask": {
        "request",
        "session",
        "g",
        "flash",
        "render_template",
        "redirect",
        "url_for",
        "abort",
        "jsonify",
        "make_response",
    },
    "flask_login": {"current_user", "login_user", "logout_user"},
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer(module: str) -> int:
    parts = module.split(".")
    if module.startswith("crm.lending"):
        return PURE
    if module.startswith("crm.models"):
        return MODELS
    if any(module == name or module.startswith(f"{name}.") for name in SHARED_MODULES):
        return SHARED
    if "services" in parts or "queries" in parts or module.startswith("crm.demo"):
        return DOMAIN
    return WEB


def imports(source: str, module: str) -> list[tuple[str, set[str]]]:
    """(module imported, names taken from it) for every import in `source`, resolved."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(alias.name, set()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module.split(".")[: -node.level]
                base = ".".join([*package, base] if base else package)
            names = {alias.name for alias in node.names}
            found.append((base, names))
            # `from crm.loans import routes` imports the module crm.loans.routes.
            found += [(f"{base}.{name}", set()) for name in names if base.startswith("crm")]
    return found


def feature(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def violations(module: str, source: str) -> list[str]:
    own_layer, found = layer(module), []
    for target, names in imports(source, module):
        top = target.split(".")[0]
        if own_layer == PURE and top not in sys.stdlib_module_names and top != "crm":
            found.append(f"{module} imports {target}: crm.lending uses the standard library only")
        if own_layer == PURE and top == "crm" and not target.startswith("crm.lending"):
            found.append(f"{module} imports {target}: crm.lending imports only itself")
        if own_layer == DOMAIN and names & REQUEST_STATE.get(target, set()):
            taken = ", ".join(sorted(names & REQUEST_STATE[target]))
            found.append(f"{module} takes {taken} from {target}: pass it in as an argument")
        if top != "crm" or target == "crm":
            continue
        if layer(target) > own_layer:
            found.append(
                f"{module} ({LAYER_NAMES[own_layer]}) imports {target} "
                f"({LAYER_NAMES[layer(target)]}): imports run downhill"
            )
        if ".routes" in f"{target}." and feature(target) != feature(module):
            found.append(f"{module} imports {target}: another feature's routes")
    return found


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: str(path.relative_to(ROOT)))
def test_imports_run_downhill(path):
    assert violations(module_name(path), path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    ("module", "source", "complaint"),
    [
        ("crm.lending.schedule", "import flask", "standard library only"),
        ("crm.lending.schedule", "from sqlalchemy import select", "standard library only"),
        ("crm.lending.schedule", "from crm.models import Loan", "imports only itself"),
        ("crm.models.loan", "from crm.loans.services import payments", "imports run downhill"),
        ("crm.validation", "from crm.customers.queries import x", "imports run downhill"),
        ("crm.loans.services.payments", "from flask import request", "pass it in"),
        ("crm.customers.queries", "from flask_login import current_user", "pass it in"),
        ("crm.customers.services", "from crm.loans.routes import loan", "imports run downhill"),
        ("crm.dashboard.routes", "from crm.loans.routes.loan import take_step", "another"),
        ("crm.dashboard.routes", "from crm.auth import routes", "another feature's routes"),
        ("crm.loans.services.payments", "from ..queries import loans", None),
    ],
)
def test_the_rules_catch_what_they_forbid(module, source, complaint):
    found = violations(module, source)
    if complaint is None:
        assert found == []
    else:
        assert any(complaint in line for line in found), found


def test_the_log_in_sessions_reads_import_first():
    """A feature's package registers its routes when imported, and those import the log-in,
    which reads sessions: crm.sessions.queries must not import a feature, or importing it
    first (a script, a shell, a test run on its own) is a circular import."""
    imported = subprocess.run(
        [sys.executable, "-c", "import crm.sessions.queries"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert imported.returncode == 0, imported.stderr
