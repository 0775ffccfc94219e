"""create_app(): configuration, production safety, health check and error responses."""

import pytest

from config import (
    DEV_SECRET_KEY,
    DevelopmentConfig,
    ProductionConfig,
    TestingConfig,
    config_from_env,
    env_flag,
)
from crm import create_app


def test_production_refuses_the_default_secret_key():
    config = type("Prod", (ProductionConfig,), {"SECRET_KEY": DEV_SECRET_KEY})
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(config)


def test_production_with_its_own_key_sets_secure_cookies():
    config = type("Prod", (ProductionConfig,), {"SECRET_KEY": "a-long-random-production-key"})
    app = create_app(config)
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


def test_rate_limits_count_in_redis_when_redis_url_is_set(config_class):
    shared = create_app(type("Shared", (config_class,), {"REDIS_URL": "redis://cache:6379/0"}))
    alone = create_app(config_class)

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
