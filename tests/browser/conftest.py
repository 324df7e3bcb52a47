"""Browser tests: Playwright's sync API driving Debian's Chromium against the live test server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True, scope="class")
def allow_orm_beside_playwrights_loop() -> Iterator[None]:
    """Playwright's sync API runs an event loop in the test's thread, and Django refuses ORM calls from a thread
    with a running loop; Playwright's documentation advises this switch for Django tests. It is set for the
    browser tests only, and taken back after them: elsewhere (and in `check --deploy`) it must stay unset."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield
