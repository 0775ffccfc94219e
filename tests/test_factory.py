"""create_app(): configuration, production safety, health check and error responses."""

import secrets
import stat
from datetime import timedelta

import pytest

from config import DevelopmentConfig, ProductionConfig, TestingConfig, config_from_env, env_flag
from crm import create_app
from crm.secret_key import PUBLISHED_KEYS

#: Strong by every measure, and written here: so it is in the repository, and refused.
LEAKED_KEY = "Vq3xR8sLm2ZtP9wKc4YhN7eJb6UgA1fD5oTiXrQ0ySp"


def production(key, **settings) -> type[ProductionConfig]:
    settings = {"SECRET_KEY": key, "CRM_BASE_URL": "https://crm.example.com", **settings}
    return type("Prod", (ProductionConfig,), settings)


def development(tmp_path, key=None) -> type[DevelopmentConfig]:
    settings = {"SECRET_KEY": key, "SECRET_KEY_FILE": str(tmp_path / "secret_key")}
    return type("Dev", (DevelopmentConfig,), settings)


@pytest.mark.parametrize("key", [None, ""], ids=["unset", "empty"])
def test_production_refuses_to_start_without_a_secret_key(key):
    with pytest.raises(RuntimeError, match="SECRET_KEY of its own, of at least 32 random bytes"):
        create_app(production(key))


@pytest.mark.parametrize("key", [*sorted(PUBLISHED_KEYS), LEAKED_KEY])
def test_production_refuses_a_key_written_in_the_repository(key):
    with pytest.raises(RuntimeError, match="SECRET_KEY appears in the code"):
        create_app(production(key))


@pytest.mark.parametrize(
    "key",
    ["a-long-random-production-key", "a" * 64, "0123456789abcdef" * 4, secrets.token_hex(31)],
    ids=["phrase", "repeated", "pattern", "31 bytes"],
)
def test_production_refuses_a_key_of_less_than_32_random_bytes(key):
    with pytest.raises(RuntimeError, match=r"random bits; production needs at least 32 random"):
        create_app(production(key))


def test_development_makes_a_random_key_readable_by_its_owner_only_and_keeps_it(tmp_path):
    first = create_app(development(tmp_path)).config["SECRET_KEY"]
    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert key_file.read_text().strip() == first
    assert len(first) >= 64
    assert first not in PUBLISHED_KEYS
    assert create_app(development(tmp_path)).config["SECRET_KEY"] == first
    assert create_app(development(tmp_path / "elsewhere")).config["SECRET_KEY"] != first


def test_development_refuses_a_key_written_in_the_code(tmp_path):
    with pytest.raises(RuntimeError, match="written in the code"):
        create_app(development(tmp_path, key="dev-only-not-secret"))


def test_remember_me_lasts_at_most_30_days():
    config = production(secrets.token_urlsafe(32), REMEMBER_COOKIE_DURATION=timedelta(days=365))
    with pytest.raises(RuntimeError, match="at most 30 days"):
        create_app(config)


def test_production_with_a_strong_key_of_its_own_sets_secure_cookies():
    app = create_app(production(secrets.token_urlsafe(32)))
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True


def test_crm_config_picks_the_class(monkeypatch):
    monkeypatch.setenv("CRM_CONFIG", "production")
    assert config_from_env() is ProductionConfig
    monkeypatch.setenv("CRM_CONFIG", "staging")
    with pytest.raises(RuntimeError, match="staging"):
        config_from_env()


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_healthz_reports_503_when_the_database_is_down(tmp_path):
    unreachable = f"sqlite:///{tmp_path / 'no-such-folder' / 'crm.sqlite3'}"
    config = type("Down", (TestingConfig,), {"SQLALCHEMY_DATABASE_URI": unreachable})
    response = create_app(config).test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unreachable"


def test_an_oversized_body_gets_413(client, app):
    body = b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post("/auth/login", data=body, content_type="application/octet-stream")
    assert response.status_code == 413


@pytest.mark.parametrize("path", ["/customers/abc", "/loans/1e3", "/customers/-1", "/nowhere"])
def test_non_numeric_or_unknown_paths_are_404(client, manager, login, path):
    login(manager)
    response = client.get(path)
    assert response.status_code == 404
    assert b"There is no such page or record." in response.data


def test_api_clients_get_json_errors(client, manager, login):
    login(manager)
    response = client.get("/customers/999999", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert "error" in response.json


def test_rate_limits_count_in_redis_when_redis_url_is_set(build_app):
    shared, alone = build_app(REDIS_URL="redis://cache:6379/0"), build_app()

    assert shared.config["RATELIMIT_STORAGE_URI"] == "redis://cache:6379/0"
    assert alone.config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert alone.config["RATELIMIT_HEADERS_ENABLED"] is True


def test_production_requires_a_second_factor_of_staff_unless_told_otherwise(monkeypatch):
    assert ProductionConfig.STAFF_TOTP_REQUIRED is True
    assert DevelopmentConfig.STAFF_TOTP_REQUIRED is False
    monkeypatch.setenv("STAFF_TOTP_REQUIRED", "off")
    assert env_flag("STAFF_TOTP_REQUIRED", True) is False
    monkeypatch.setenv("STAFF_TOTP_REQUIRED", "Yes")
    assert env_flag("STAFF_TOTP_REQUIRED", False) is True
    monkeypatch.setenv("STAFF_TOTP_REQUIRED", "maybe")
    assert env_flag("STAFF_TOTP_REQUIRED", True) is True
