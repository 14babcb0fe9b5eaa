"""compose.yaml cannot be started here (no Docker engine): check it parses and matches the app."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import yaml

from web.cli import parser, subcommand_names
from web.platform.settings import load_settings

COMPOSE = yaml.safe_load((Path(__file__).resolve().parents[2] / "compose.yaml").read_text())
SERVICES = COMPOSE["services"]
APP_SERVICES = {name: s for name, s in SERVICES.items() if s.get("build")}


def test_every_app_service_runs_a_real_katf_command_with_valid_settings() -> None:
    assert {"migrate", "web-1", "web-2", "projector"} <= set(APP_SERVICES)
    for name, service in APP_SERVICES.items():
        program, subcommand, *args = service["command"]
        assert program == "katf" and subcommand in subcommand_names(), name
        parser().parse_args([subcommand, *args])
        env = {k: str(v) for k, v in service["environment"].items()}
        settings = load_settings({**env, "KATF_SECRET_KEY": "x"})
        assert settings.is_postgres and settings.redis_url.startswith("redis://"), name
        assert env["KATF_SECRET_KEY"].startswith("${KATF_SECRET_KEY:?")


def test_the_database_url_matches_the_postgres_service() -> None:
    postgres = SERVICES["postgres"]["environment"]
    for service in APP_SERVICES.values():
        url = urlsplit(service["environment"]["KATF_DATABASE_URL"])
        assert url.hostname == "postgres" and url.port == 5432
        assert url.username == postgres["POSTGRES_USER"]
        assert url.password == postgres["POSTGRES_PASSWORD"]
        assert url.path.lstrip("/") == postgres["POSTGRES_DB"]
        redis = urlsplit(service["environment"]["KATF_REDIS_URL"])
        assert redis.hostname == "redis" and redis.port == 6379


def test_web_workers_listen_on_all_interfaces_and_publish_their_port() -> None:
    webs = [s for s in APP_SERVICES.values() if s["command"][:2] == ["katf", "serve"]]
    assert len(webs) >= 2
    for service in webs:
        args = parser().parse_args(service["command"][1:])
        assert args.host == "0.0.0.0"
        assert [p.split(":")[-1] for p in service["ports"]] == [str(args.port)]


def test_services_wait_for_health_and_migrations() -> None:
    assert SERVICES["postgres"]["healthcheck"] and SERVICES["redis"]["healthcheck"]
    assert SERVICES["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in ("web-1", "web-2", "projector"):
        migrate = SERVICES[name]["depends_on"]["migrate"]
        assert migrate["condition"] == "service_completed_successfully"


def test_postgres_is_given_shared_buffers_a_deployment_can_size() -> None:
    program, *options = SERVICES["postgres"]["command"]
    settings = dict(options[i + 1].split("=", 1) for i in range(0, len(options), 2))
    assert program == "postgres" and set(options[::2]) == {"-c"}
    assert settings["shared_buffers"] == "${KATF_PG_SHARED_BUFFERS:-1GB}"
