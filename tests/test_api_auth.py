"""Tokens, sessions, `me`, limits and the API's own pages: the schema and the interactive docs."""

from __future__ import annotations

from django.core.cache import cache
from django.test import TestCase, override_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.api_support import client_for
from tests.factories import make_personas


class TokenEndpointTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = make_personas()

    def test_username_and_password_get_a_token_that_signs_requests(self):
        response = APIClient().post(
            "/api/v1/token/", {"username": "alice", "password": "correct horse battery staple"}, format="json"
        )
        assert response.status_code == 200
        key = response.json()["token"]
        assert Token.objects.get(user=self.people.alice).key == key
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        assert client.get("/api/v1/me/").json()["username"] == "alice"

    def test_wrong_password_is_400_with_field_errors(self):
        response = APIClient().post("/api/v1/token/", {"username": "alice", "password": "guess"}, format="json")
        assert response.status_code == 400
        assert list(response.json()["fields"]) == ["non_field_errors"]
        assert APIClient().post("/api/v1/token/", {}, format="json").json()["fields"].keys() == {"username", "password"}

    def test_revoked_token_stops_working(self):
        client = client_for(self.people.bob)
        assert client.delete("/api/v1/token/").status_code == 204
        response = client.get("/api/v1/me/")
        assert response.status_code == 401
        assert response.json()["code"] == "authentication_failed"
        assert not Token.objects.filter(user=self.people.bob).exists()

    def test_revoking_needs_a_member(self):
        assert APIClient().delete("/api/v1/token/").status_code == 401

    def test_me_needs_a_member(self):
        response = APIClient().get("/api/v1/me/")
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"
        carol = client_for(self.people.carol).get("/api/v1/me/").json()
        assert (carol["username"], carol["is_staff"]) == ("carol", True)


class TokenPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = make_personas()

    def test_page_needs_login(self):
        response = self.client.get("/accounts/tokens/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    def test_member_issues_replaces_and_revokes_their_token(self):
        self.client.force_login(self.people.alice)
        assert b"You have no token" in self.client.get("/accounts/tokens/").content
        assert self.client.post("/accounts/tokens/", {"action": "issue"}).status_code == 302
        first = Token.objects.get(user=self.people.alice).key
        assert first.encode() in self.client.get("/accounts/tokens/").content
        self.client.post("/accounts/tokens/", {"action": "replace"})
        second = Token.objects.get(user=self.people.alice).key
        assert second != first
        self.client.post("/accounts/tokens/", {"action": "revoke"})
        assert not Token.objects.filter(user=self.people.alice).exists()
        assert not Token.objects.filter(user=self.people.bob).exists()


class SessionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = make_personas()

    def test_session_writes_need_the_csrf_token(self):
        client = APIClient(enforce_csrf_checks=True)
        client.force_login(self.people.alice)
        assert client.get("/api/v1/me/").json()["username"] == "alice"
        response = client.post("/api/v1/notes/", {"title": "From the page"}, format="json")
        assert response.status_code == 403
        assert "CSRF" in response.json()["detail"]


class LimitTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = make_personas()

    def setUp(self):
        cache.clear()
        self.addCleanup(cache.clear)

    def rates(self, anon: str, user: str, write: str):
        from django.conf import settings

        return override_settings(
            REST_FRAMEWORK={
                **settings.REST_FRAMEWORK,
                "DEFAULT_THROTTLE_RATES": {"anon": anon, "user": user, "write": write},
            }
        )

    def test_anonymous_reads_are_limited_with_the_error_shape(self):
        with self.rates("2/minute", "100/minute", "100/minute"):
            client = APIClient()
            assert [client.get("/api/v1/papers/").status_code for _ in range(3)] == [200, 200, 429]
            response = client.get("/api/v1/papers/")
            assert response.json()["code"] == "throttled"
            assert int(response["Retry-After"]) > 0

    def test_members_have_their_own_rate_and_writes_a_lower_one(self):
        with self.rates("1/minute", "3/minute", "1/minute"):
            alice = client_for(self.people.alice)
            assert alice.get("/api/v1/papers/").status_code == 200
            assert alice.get("/api/v1/papers/").status_code == 200  # beyond the anonymous rate
            assert alice.post("/api/v1/notes/", {"title": "One"}).status_code == 201
            assert alice.post("/api/v1/notes/", {"title": "Two"}).status_code == 429


class SchemaAndDocsTests(TestCase):
    def test_schema_is_openapi_3(self):
        response = self.client.get("/api/v1/schema/", headers={"accept": "application/vnd.oai.openapi+json"})
        assert response.status_code == 200
        schema = response.json()
        assert schema["openapi"].startswith("3.")
        assert "/api/v1/papers/{arxiv_id}/" in schema["paths"]
        assert "404" in schema["paths"]["/api/v1/papers/{arxiv_id}/"]["get"]["responses"]

    def test_docs_load_their_assets_from_our_own_static_files(self):
        response = self.client.get("/api/v1/docs/")
        assert response.status_code == 200
        html = response.content.decode()
        assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
        assert "cdn" not in html.lower()
        assert (
            self.client.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js").status_code == 200
        )

    def test_root_lists_the_resources(self):
        body = APIClient().get("/api/v1/").json()
        assert body["resources"]["papers"] == "/api/v1/papers/"
        assert body["docs"] == "/api/v1/docs/"
