"""Project-wide guarantees: migrations in step, deploy checks clean, no unreviewed |safe."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import TestCase

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    # Exits with status 1 (SystemExit) when a model changed without a migration.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_is_clean():
    result = _manage("check", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_passes_with_production_settings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="off",
        SECRET_KEY="prod-" + "k3y-" * 15,
        ALLOWED_HOSTS="hub.example.org",
        SECURE_SSL_REDIRECT="on",
        SESSION_COOKIE_SECURE="on",
        CSRF_COOKIE_SECURE="on",
        SECURE_HSTS_SECONDS="31536000",
        SECURE_HSTS_PRELOAD="on",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_settings_refuse_to_start_without_a_secret_key_in_production():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**env, "DEBUG": "off"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_safe_filter_only_marks_sanitised_html():
    """`|safe` may only follow a field rendered by shared.markdown (named *_html)."""
    offenders = []
    for template in (ROOT / "templates").rglob("*.html"):
        for number, line in enumerate(template.read_text().splitlines(), 1):
            for match in re.finditer(r"([\w.]+)\|safe", line):
                if not match.group(1).endswith("_html"):
                    offenders.append(f"{template.relative_to(ROOT)}:{number}: {match.group(0)}")
    assert offenders == []


class HealthCheckTests(TestCase):
    def test_healthz_reports_database_and_cache(self):
        response = self.client.get("/healthz")
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_a_bad_boolean_in_the_environment_is_refused(value):
    result = _manage("check", DEBUG=value)
    assert result.returncode != 0
    assert "DEBUG" in result.stderr or "bool" in result.stderr.lower()
