"""Finding texts that reach people without going through gettext.

Templates: literal text between tags, the attributes people read (title, placeholder,
aria-label, alt, the value of a submit input), string constants that a {{ }} in those places
prints, and sentence-like constants passed to macros or set in variables, unless they are
inside _(), gettext(), ngettext() or a {% trans %} block. Python: literal or f-string messages
given to flash(), FieldError(), abort() and click's errors and echo.
"""

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from jinja2 import Environment, nodes

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "crm" / "templates"
PYTHON = ROOT / "crm"

#: Names that stay as they are in every language.
ALLOWED = ("Credit CRM",)
#: `_gettext` is Flask-Admin's, in our admin templates that reuse its texts (admin/crm_lib.html):
#: its own catalogue translates them, so `make translations` leaves them out of ours.
GETTEXT_NAMES = {
    "_",
    "gettext",
    "ngettext",
    "pgettext",
    "npgettext",
    "_l",
    "lazy_gettext",
    "_gettext",
}
#: Attributes whose values people read or hear.
VISIBLE_ATTRIBUTES = {"title", "placeholder", "alt", "aria-label", "aria-description", "label"}
#: Calls whose string arguments are identifiers, not text.
NON_TEXT_CALLS = {"url_for", "get", "startswith", "endswith", "split", "rstrip", "strip", "join"}
PLACEHOLDER = "\x00"
PLACEHOLDERS = re.compile(r"\x00-?\d*\x00")
#: Two words, a capitalised word, or a word ending a sentence: the shape of a text for
#: people, not of an identifier, a CSS class or an endpoint.
PROSE = re.compile(r"[^\W\d_]{2,}\s+[^\W\d_]{2,}|^[^\W\d_]+[.!?]$|^[^\W\d_a-zа-яіїєґ][^\W\d_A-Z]+$")


@dataclass(frozen=True)
class Unmarked:
    where: str
    text: str

    def __str__(self) -> str:
        return f"{self.where}: {self.text!r}"


def has_letters(text: str) -> bool:
    return any(char.isalpha() for char in text)


def visible(text: str) -> bool:
    """Whether `text`, placeholders aside, has words other than the allowed names."""
    cleaned = PLACEHOLDERS.sub(" ", text)
    for name in ALLOWED:
        cleaned = cleaned.replace(name, " ")
    return has_letters(cleaned)


def shown(text: str) -> str:
    return " ".join(PLACEHOLDERS.sub("…", text).split())


class _TextCollector(HTMLParser):
    """The text nodes and the visible attribute values of a page's markup."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skipping += 1
        attributes = dict(attrs)
        for name, value in attrs:
            if name in VISIBLE_ATTRIBUTES and value:
                self.texts.append(value)
        if tag == "input" and attributes.get("type") in ("submit", "button", "reset"):
            self.texts.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.texts.append(data)


def markup_with_placeholders(env: Environment, source: str) -> tuple[str, list[str]]:
    """The template's literal markup with each {{ }} and {% %} replaced by a placeholder
    (numbered for {{ }}), and the source of each {{ }}; comments and {% trans %} blocks
    (translated as a whole) are left out."""
    pieces: list[str] = []
    expressions: list[str] = []
    in_trans = False
    previous = None
    current: list[str] | None = None
    for _line, kind, value in env.lex(source):
        if kind == "whitespace":
            continue
        if kind == "name" and previous == "block_begin" and value in ("trans", "endtrans"):
            in_trans = value == "trans"
        previous = kind
        if in_trans:
            continue
        if kind == "variable_begin":
            current = []
        elif kind == "variable_end" and current is not None:
            pieces.append(f"{PLACEHOLDER}{len(expressions)}{PLACEHOLDER}")
            expressions.append(" ".join(current))
            current = None
        elif current is not None:
            current.append(value)
        elif kind == "data":
            pieces.append(value)
        elif kind == "block_begin":
            pieces.append(f"{PLACEHOLDER}-{PLACEHOLDER}")
    return "".join(pieces), expressions


def _called_name(node: nodes.Call) -> str | None:
    called = node.node
    if isinstance(called, nodes.Name):
        return called.name
    return getattr(called, "attr", None)


#: Nodes under which string constants are names (of templates, keys, types), not text.
_STRUCTURAL = (
    nodes.Compare,
    nodes.Getitem,
    nodes.Test,
    nodes.Extends,
    nodes.Include,
    nodes.Import,
    nodes.FromImport,
)


def _constants(node: nodes.Node, printed: bool) -> Iterator[tuple[nodes.Const, bool]]:
    """(constant, whether it is printed as it is) for each string constant outside gettext."""
    if _holds_no_text(node):
        return
    if isinstance(node, nodes.Const):
        if isinstance(node.value, str):
            yield node, printed
        return
    if isinstance(node, nodes.Output):
        for child in node.nodes:
            if not isinstance(child, nodes.TemplateData):
                yield from _constants(child, True)
        return
    if isinstance(node, nodes.CondExpr):
        yield from _constants(node.test, False)
        yield from _constants(node.expr1, printed)
        if node.expr2 is not None:
            yield from _constants(node.expr2, printed)
        return
    keeps_printing = isinstance(node, nodes.Filter | nodes.Concat | nodes.Or | nodes.And)
    for child in node.iter_child_nodes():
        yield from _constants(child, printed and keeps_printing)


def _holds_no_text(node: nodes.Node) -> bool:
    """Structure, gettext and other calls whose strings are not shown, and CSS classes."""
    if isinstance(node, _STRUCTURAL):
        return True
    if isinstance(node, nodes.Call) and _called_name(node) in GETTEXT_NAMES | NON_TEXT_CALLS:
        return True
    return isinstance(node, nodes.Keyword) and node.key.endswith("class_")


def unmarked_in_template(env: Environment, path: Path, root: Path = TEMPLATES) -> list[Unmarked]:
    source = path.read_text(encoding="utf-8")
    name = path.relative_to(root).as_posix()
    markup, expressions = markup_with_placeholders(env, source)
    collector = _TextCollector()
    collector.feed(markup)
    collector.close()
    found = [Unmarked(name, shown(text)) for text in collector.texts if visible(text)]
    # A {{ }} in text or in a visible attribute must not print a constant of its own.
    printed = sorted(
        {
            int(number)
            for text in collector.texts
            for number in re.findall(rf"{PLACEHOLDER}(\d+){PLACEHOLDER}", text)
        }
    )
    for number in printed:
        expression = f"{{{{ {expressions[number]} }}}}"
        for const, is_printed in _constants(env.parse(expression), False):
            if is_printed and visible(const.value):
                found.append(Unmarked(f"{name}: {expression}", const.value))
    # Elsewhere (macro arguments, {% set %}), a constant shaped like a sentence is suspect.
    for const, is_printed in _constants(env.parse(source, name=name), False):
        if not is_printed and PROSE.search(const.value.strip()) and visible(const.value):
            found.append(Unmarked(f"{name}:{const.lineno}", const.value))
    return found


def unmarked_in_templates(env: Environment, root: Path = TEMPLATES) -> list[Unmarked]:
    found: list[Unmarked] = []
    for path in sorted(root.rglob("*.html")):
        found.extend(unmarked_in_template(env, path, root))
    return found


#: Calls whose message people read, and the position of that argument.
MESSAGE_ARGUMENTS = {
    "flash": 0,
    "FieldError": 1,
    "abort": 1,
    "BadParameter": 0,
    "ClickException": 0,
    "UsageError": 0,
    "echo": 0,
    "fail": 0,
}


def _literal_text(node: ast.AST) -> bool:
    """A message written in place: a string, an f-string, or one built with + or % or format."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and has_letters(node.value)
    if isinstance(node, ast.JoinedStr):
        return any(
            isinstance(part, ast.Constant) and has_letters(str(part.value)) for part in node.values
        )
    if isinstance(node, ast.BinOp):
        return _literal_text(node.left) or _literal_text(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr == "format" and _literal_text(node.func.value)
    return False


def unmarked_in_python(root: Path = PYTHON) -> list[Unmarked]:
    found: list[Unmarked] = []
    for path in sorted(root.rglob("*.py")):
        name = path.relative_to(root.parent).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            position = MESSAGE_ARGUMENTS.get(called)
            if position is None:
                continue
            message = node.args[position] if len(node.args) > position else None
            for keyword in node.keywords:
                if keyword.arg in ("message", "description"):
                    message = keyword.value
            if message is not None and _literal_text(message):
                found.append(Unmarked(f"{name}:{node.lineno}", ast.unparse(message)))
    return found
