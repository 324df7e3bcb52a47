"""Browser tests: Playwright's sync API driving Debian's Chromium against the live test server."""

from __future__ import annotations

import os

# Playwright's sync API runs an event loop in the test's thread, and Django refuses ORM calls from a thread with a
# running loop; Playwright's documentation advises this switch for Django tests (the test server has its own thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
