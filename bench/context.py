"""What every benchmark section gets: the corpus, the bench databases, and a place to record figures.

One BenchContext lives for one `make bench` run. It creates a fresh PostgreSQL database for the run
(`paperhub_bench` on the server that DATABASE_URL names), migrates it, and configures Django in this process
to use it. `ensure_loaded()` imports the N-paper corpus into it once (the import section does it first and
measures it; later sections just find it loaded). `ensure_loaded_sqlite()` does the same for an SQLite file
under var/bench/, for sections that measure the embedded default.
"""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.corpus import VAR_BENCH, corpus_path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "paperhub_bench"
# Settings need a secret key with DEBUG off; bench processes never serve anyone.
BENCH_SECRET_KEY = "bench-only-not-secret-" + "x" * 40


@dataclass(frozen=True)
class Figure:
    section: str
    name: str
    metric: str
    value: float
    unit: str
    note: str = ""


@dataclass
class BenchContext:
    n_papers: int
    server_url: str
    figures: list[Figure] = field(default_factory=list)
    _loaded: bool = False
    _sqlite_path: Path | None = None

    # --- databases -------------------------------------------------------------------------------------------

    @property
    def database_url(self) -> str:
        """The PostgreSQL database of this run (Django in this process is configured for it)."""
        return database_url(self.server_url, BENCH_DB)

    @property
    def corpus_path(self) -> Path:
        """The snapshot file of n_papers synthetic papers (generated on first use, then cached)."""
        return corpus_path(self.n_papers)

    def env(self, url: str | None = None) -> dict[str, str]:
        """Environment for a subprocess (manage.py, gunicorn) that should use the bench database, or `url`."""
        return {
            **os.environ,
            "DATABASE_URL": url or self.database_url,
            "SECRET_KEY": os.environ.get("SECRET_KEY", BENCH_SECRET_KEY),
            "DEBUG": "off",
            "ALLOWED_HOSTS": os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost"),
            "PYTHONUNBUFFERED": "1",
        }

    def manage(self, *args: str, url: str | None = None, check: bool = True) -> subprocess.CompletedProcess:
        """Run `manage.py ARGS` against the bench database (or `url`) in a subprocess."""
        return subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *args],
            env=self.env(url),
            cwd=ROOT,
            check=check,
            capture_output=True,
            text=True,
        )

    def create_database(self, name: str) -> str:
        """Drop and recreate database `name` on the bench server, migrate it, and return its URL."""
        admin_sql(self.server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
        url = database_url(self.server_url, name)
        self.manage("migrate", "--noinput", url=url)
        return url

    def drop_database(self, name: str) -> None:
        admin_sql(self.server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def mark_loaded(self) -> None:
        """Tell later sections that the bench database holds the whole corpus (the import section calls it)."""
        self._loaded = True

    def ensure_loaded(self) -> None:
        """Make sure the bench PostgreSQL database holds the N-paper corpus; imports it only the first time."""
        if self._loaded:
            return
        started = time.perf_counter()
        self.manage("import_arxiv", "--quiet", str(self.corpus_path))
        print(f"bench: loaded {self.n_papers} papers into PostgreSQL in {time.perf_counter() - started:.1f} s")
        self._loaded = True

    def ensure_loaded_sqlite(self) -> str:
        """An SQLite file under var/bench/ holding the N-paper corpus; returns its DATABASE_URL."""
        if self._sqlite_path is None:
            path = VAR_BENCH / f"bench-{self.n_papers}.sqlite3"
            for leftover in path.parent.glob(path.name + "*"):
                leftover.unlink()
            url = f"sqlite:///{path}"
            started = time.perf_counter()
            self.manage("migrate", "--noinput", url=url)
            self.manage("import_arxiv", "--quiet", str(self.corpus_path), url=url)
            print(f"bench: loaded {self.n_papers} papers into SQLite in {time.perf_counter() - started:.1f} s")
            self._sqlite_path = path
        return f"sqlite:///{self._sqlite_path}"

    # --- figures ---------------------------------------------------------------------------------------------

    def add(self, section: str, name: str, metric: str, value: float, unit: str, note: str = "") -> None:
        """Record one figure of the run; it appears in the table printed at the end and in results.json."""
        figure = Figure(section, name, metric, float(value), unit, note)
        self.figures.append(figure)
        print(f"bench: {section} / {name} / {metric}: {format_value(figure.value)} {unit} {note}".rstrip())

    def results(self) -> dict:
        return {
            "n_papers": self.n_papers,
            "finished": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "python": sys.version.split()[0],
            "figures": [asdict(figure) for figure in self.figures],
        }

    def table(self) -> str:
        header = ("section", "name", "metric", "value", "unit", "note")
        rows = [header] + [(f.section, f.name, f.metric, format_value(f.value), f.unit, f.note) for f in self.figures]
        widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
        lines = []
        for index, row in enumerate(rows):
            cells = [cell.rjust(widths[i]) if i == 3 else cell.ljust(widths[i]) for i, cell in enumerate(row)]
            lines.append("  ".join(cells).rstrip())
            if index == 0:
                lines.append("  ".join("-" * width for width in widths))
        return "\n".join(lines)


def format_value(value: float) -> str:
    if value == int(value) and abs(value) >= 100:
        return f"{int(value):,}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}"


def database_url(server_url: str, name: str) -> str:
    parts = urlsplit(server_url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


def admin_sql(server_url: str, *statements: str) -> None:
    """Run statements (CREATE/DROP DATABASE) outside a transaction on the server's own database."""
    import psycopg2

    connection = psycopg2.connect(server_url.replace("pgsql://", "postgres://", 1))
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    finally:
        connection.close()
