"""The mail settings: read from the environment, checked when the app starts."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from config import ProductionConfig, TestingConfig
from crm import create_app

ROOT = Path(__file__).resolve().parents[2]
MAIL_VARIABLES = (
    "CRM_BASE_URL",
    "MAIL_SERVER",
    "MAIL_PORT",
    "MAIL_USERNAME",
    "MAIL_PASSWORD",
    "MAIL_USE_TLS",
    "MAIL_DEFAULT_SENDER",
)


def production(**settings) -> type[ProductionConfig]:
    return type("Prod", (ProductionConfig,), {"SECRET_KEY": secrets.token_urlsafe(48), **settings})


def settings_read(**environment: str) -> dict:
    """The mail settings config.py reads from this environment, in a fresh interpreter."""
    program = (
        "import json, sys, config\n"
        "classes = (config.Config, config.ProductionConfig)\n"
        "names = sys.argv[1:]\n"
        "print(json.dumps({f'{c.__name__}.{n}': getattr(c, n) for c in classes for n in names}))"
    )
    clean = {name: value for name, value in os.environ.items() if name not in MAIL_VARIABLES}
    output = subprocess.run(
        [sys.executable, "-c", program, *MAIL_VARIABLES],
        cwd=ROOT,
        env={**clean, **environment},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output)


@pytest.mark.parametrize("address", [None, "", "crm.example.com", "ftp://crm.example.com"])
def test_production_refuses_to_start_without_the_address_links_start_with(address):
    with pytest.raises(RuntimeError, match="Set CRM_BASE_URL to the CRM's public address"):
        create_app(production(CRM_BASE_URL=address))


def test_a_mail_server_needs_a_sender():
    settings = {"MAIL_SERVER": "smtp.example.com", "MAIL_DEFAULT_SENDER": None}
    with pytest.raises(RuntimeError, match="Set MAIL_DEFAULT_SENDER"):
        create_app(type("Mail", (TestingConfig,), settings))


def test_unset_development_links_to_make_run_logs_mail_and_production_has_no_address():
    read = settings_read()
    assert read["Config.CRM_BASE_URL"] == "http://127.0.0.1:5000"
    assert read["ProductionConfig.CRM_BASE_URL"] is None
    assert (read["Config.MAIL_SERVER"], read["Config.MAIL_PORT"]) == (None, 25)
    assert read["Config.MAIL_USE_TLS"] is False
    assert TestingConfig.MAIL_SERVER is None, "tests send nowhere unless they ask"


def test_the_settings_come_from_the_environment():
    read = settings_read(
        CRM_BASE_URL="https://crm.example.com",
        MAIL_SERVER="smtp.example.com",
        MAIL_PORT="587",
        MAIL_USERNAME="crm",
        MAIL_PASSWORD="secret",
        MAIL_USE_TLS="yes",
        MAIL_DEFAULT_SENDER="Credit CRM <noreply@example.com>",
    )
    assert read["ProductionConfig.CRM_BASE_URL"] == "https://crm.example.com"
    assert (read["Config.MAIL_SERVER"], read["Config.MAIL_PORT"]) == ("smtp.example.com", 587)
    assert (read["Config.MAIL_USERNAME"], read["Config.MAIL_PASSWORD"]) == ("crm", "secret")
    assert read["Config.MAIL_USE_TLS"] is True
    assert read["Config.MAIL_DEFAULT_SENDER"] == "Credit CRM <noreply@example.com>"
