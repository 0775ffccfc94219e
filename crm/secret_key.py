"""The key that signs the cookies and CSRF tokens: never one that anybody can read in the code.

Development without SECRET_KEY makes a random key on its first start and keeps it in
instance/ (mode 0600, ignored by git), so that a restart keeps everyone logged in.
Production (REQUIRE_SECRET_KEY) refuses to start without a key, with a weak one, or with one
written in the repository: the values this code ever shipped (PUBLISHED_KEYS), and the text
files of the checkout it runs from, when they are there.
"""

import math
import os
import secrets
import string
import zlib
from pathlib import Path

from flask import Flask

#: Keys that were written in this code (config.py's old development key, the tests' keys):
#: whoever read the repository can sign cookies with them.
PUBLISHED_KEYS = frozenset({"dev-only-not-secret", "testing", "browser-tests"})
#: Random bits a production key must hold: 32 random bytes' worth.
MIN_KEY_BITS = 256
#: What a development key is made of.
DEV_KEY_BYTES = 48
HOW_TO_MAKE_ONE = "python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"
#: What is not the repository's own text in a checkout: the deployment's instance/ (whose
#: config.py may hold the key), virtual environments, caches, test output.
NOT_SCANNED = frozenset(
    {
        ".git",
        ".venv",
        "venv",
        "env",
        "instance",
        "node_modules",
        "__pycache__",
        ".pytest_cache",
        ".ruff_cache",
        ".mypy_cache",
        ".hypothesis",
        "test-results",
    }
)
#: Larger files are data, not code; nobody pastes a key into them.
MAX_SCANNED_BYTES = 2 * 1024 * 1024
#: zlib's own bytes around the data (header and checksum): no information about the key.
ZLIB_OVERHEAD = 6
BASE64_CHARACTERS = frozenset(string.ascii_letters + string.digits + "-_+/=")


def configure_secret_key(app: Flask) -> None:
    """Check the configured key, or make the development one; RuntimeError says what to do."""
    key = app.config.get("SECRET_KEY")
    if app.config.get("REQUIRE_SECRET_KEY"):
        check_production_key(key, repository_root())
    elif key in PUBLISHED_KEYS:
        raise RuntimeError(
            "This SECRET_KEY is written in the code of Credit CRM, so anyone can sign cookies "
            "with it. Unset SECRET_KEY (development makes a random one) or make one with: "
            + HOW_TO_MAKE_ONE
        )
    elif not key:
        app.config["SECRET_KEY"] = development_key(
            Path(app.instance_path) / app.config["SECRET_KEY_FILE"]
        )


def check_production_key(key: str | bytes | None, root: Path | None) -> None:
    """Refuse (RuntimeError) a missing key, a weak one, and one found in the code under `root`."""
    if not key:
        raise RuntimeError(
            "Production needs a SECRET_KEY of its own, of at least 32 random bytes: set the "
            "SECRET_KEY variable to the output of " + HOW_TO_MAKE_ONE
        )
    text = key.decode("latin-1") if isinstance(key, bytes) else key
    if text in PUBLISHED_KEYS:
        _refuse_published("crm/secret_key.py")
    bits = estimated_bits(key)
    if bits < MIN_KEY_BITS:
        raise RuntimeError(
            f"SECRET_KEY holds about {bits} random bits; production needs at least 32 random "
            f"bytes ({MIN_KEY_BITS} bits). Make one with: " + HOW_TO_MAKE_ONE
        )
    found = None if root is None else file_containing(root, text)
    if found is not None:
        _refuse_published(found)


def _refuse_published(where: str) -> None:
    raise RuntimeError(
        f"SECRET_KEY appears in the code of Credit CRM ({where}), so anyone can sign cookies "
        "with it. Make a new one with: " + HOW_TO_MAKE_ONE
    )


def estimated_bits(key: str | bytes) -> int:
    """At most how many random bits `key` holds: its length times the bits of the smallest
    alphabet it is written in (digits, hex, base64, printable ASCII, bytes), and no more
    than zlib leaves of it, which catches repeats such as aaaa… or 0123…0123…"""
    data = key if isinstance(key, bytes) else key.encode("utf-8")
    by_alphabet = len(data) * 8
    if isinstance(key, str) and key.isascii():
        by_alphabet = int(len(key) * math.log2(_alphabet_size(key)))
    compressed = (len(zlib.compress(data, 9)) - ZLIB_OVERHEAD) * 8
    return max(0, min(by_alphabet, compressed))


def _alphabet_size(key: str) -> int:
    characters = set(key)
    if characters <= set(string.digits):
        return 10
    if characters <= set(string.digits + "abcdef") or characters <= set(string.digits + "ABCDEF"):
        return 16
    if characters <= BASE64_CHARACTERS:
        return 64
    return 95


def repository_root() -> Path | None:
    """The checkout the app runs from, when it is one (config.py beside crm/); else None."""
    root = Path(__file__).resolve().parent.parent
    return root if (root / "config.py").is_file() and (root / "crm").is_dir() else None


def file_containing(root: Path, key: str) -> str | None:
    """The first text file under `root` (NOT_SCANNED and .env files aside) holding `key`."""
    needle = key.encode("utf-8")
    for folder, folders, files in os.walk(root):
        folders[:] = sorted(name for name in folders if name not in NOT_SCANNED)
        for name in sorted(files):
            path = Path(folder) / name
            if name.startswith(".env") or path.is_symlink():
                continue
            if path.stat().st_size <= MAX_SCANNED_BYTES and needle in path.read_bytes():
                return str(path.relative_to(root))
    return None


def development_key(path: Path) -> str:
    """The key kept in `path`; made on the first start, random, readable by its owner only.

    Written to a temporary file and linked into place, so that two processes starting at
    once agree on one key and neither reads a half-written file.
    """
    if path.exists():
        return _read_key(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(secrets.token_urlsafe(DEV_KEY_BYTES) + "\n")
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass  # another process made it first: use theirs
    finally:
        temporary.unlink()
    return _read_key(path)


def _read_key(path: Path) -> str:
    key = path.read_text(encoding="utf-8").strip()
    if not key:
        raise RuntimeError(f"{path} is empty: delete it, and a new key is made on the next start")
    return key
