"""The schema fuzz run: schemathesis calls every operation of /api/v1/schema/, as a visitor and as a member with
a token, and checks that nothing answers 5xx and that every answer (status, content type, headers, body) is one
the schema declares.

It runs in-process against the WSGI application, inside the test's transaction, on whichever database the suite
runs on. Examples per operation stay few (FUZZ_EXAMPLES, 10 by default) to keep the run to a minute or two.
"""

from __future__ import annotations

import datetime
import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from comments import services
from tests.factories import (
    CategoryFactory,
    ChapterFactory,
    CorrectionFactory,
    NoteFactory,
    PaperFactory,
    UserFactory,
    VideoPaperFactory,
)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())


@pytest.fixture
def hub_rows() -> None:
    """A little of everything, so that lists have rows to describe (the transaction rolls it back)."""
    member = UserFactory(username="fuzz-writer")
    category = CategoryFactory(code="cs.LG")
    paper = PaperFactory(
        arxiv_id="2105.06548", published=datetime.date(2021, 5, 13), primary_category=category, authors=["Ada"]
    )
    paper.categories.set([category])
    link = VideoPaperFactory(paper=paper, video__slug="expire-span")
    ChapterFactory(video=link.video, start=0)
    CorrectionFactory(video=link.video)
    root = services.comment_post(author=member, target=paper, body="A *first* comment", kind="question")
    answer = services.comment_post(author=UserFactory(username="fuzz-answerer"), target=paper, body="A", parent=root)
    services.answer_accept(answer=answer, actor=member)
    services.comment_edit(comment=root, editor=member, body="A *first* comment, edited")
    services.comment_post(author=member, target=link.video, body="At the start", at=0)
    # An erratum report a curator confirmed, and one still waiting: the confirm and fixed actions have rows to act on.
    curator = UserFactory(username="fuzz-curator", is_staff=True, is_superuser=True)
    report = services.comment_post(author=member, target=link.video, body="Wrong sign", kind="erratum", at=0)
    services.erratum_confirm(report=report, curator=curator)
    services.comment_post(author=member, target=link.video, body="Wrong label", kind="erratum")
    NoteFactory(owner=member, title="A public note", visibility="public")
    # The signed-in fuzzer's own notification and watch, so that their lists have rows to describe.
    fuzzer = UserFactory(username="fuzz-member")
    services.comment_post(author=member, target=paper, body="@fuzz-member, have a look")
    services.watch_set(user=fuzzer, state="watch", paper=paper)


@pytest.fixture
def connection_kept_open():
    """Calls go straight to the WSGI application, so Django would close the database connection at the end of each
    request, and with it the test's transaction; its own test client avoids that the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(params=["visitor", "member"])
def auth_headers(request, hub_rows, connection_kept_open) -> dict[str, str]:
    if request.param == "visitor":
        return {}
    token, _ = Token.objects.get_or_create(user=UserFactory(username="fuzz-member"))
    return {"Authorization": f"Token {token.key}"}


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture],
    derandomize=True,
)
def test_every_operation_answers_as_the_schema_says(case, auth_headers):
    case.call_and_validate(headers=auth_headers, checks=CHECKS)
