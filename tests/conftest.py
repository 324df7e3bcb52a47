"""pytest wiring shared by the whole suite."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection


def pytest_configure(config: pytest.Config) -> None:
    # Hashing with the real algorithm costs ~100 ms a password; tests create many members.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_report_header(config: pytest.Config) -> str:
    db = settings.DATABASES["default"]
    where = db["NAME"] if db["ENGINE"].endswith("sqlite3") else f"{db.get('HOST')}:{db.get('PORT')}"
    return f"database: {db['ENGINE'].rsplit('.', 1)[-1]} ({where})"


@pytest.fixture
def on_postgres() -> bool:
    return connection.vendor == "postgresql"
