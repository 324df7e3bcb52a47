"""The hub's WSGI application with the floor views of bench/floor.py mounted beside it (for `make bench` only)."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")
settings.ROOT_URLCONF = "bench.floor"  # before the first request: the hub's URLs plus /bench-floor/
application = get_wsgi_application()
