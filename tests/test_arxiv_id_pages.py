"""Every form of an arXiv id that papers.arxiv accepts reaches the paper: its page, Paper.objects.named() and the
search box agree with the parser (issue 12; the forms come from tests/test_arxiv_id_vectors.py)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import TestCase

from papers.models import Paper, validate_arxiv_id
from tests.factories import PaperFactory

# (a form arXiv reads as the paper, the paper's canonical id)
FORMS = [
    ("HEP-TH/9901001/extra", "hep-th/9901001"),
    ("hep-th//9901001", "hep-th/9901001"),
    ("hepth/9901001v2", "hep-th/9901001"),
    ("arXiv:hep-th/9901001", "hep-th/9901001"),
    ("1805.0001", "1805.00001"),
    ("0801.01234", "0801.1234"),
    ("1502.03167v2.pdf", "1502.03167"),
    ("hep-th/1601.07616", "1601.07616"),
]
LINKS = [
    ("https://arxiv.org/abs?id=hep-th/9901001", "hep-th/9901001"),
    ("https://arxiv.org/abs?archive=hep-th&papernum=9901001", "hep-th/9901001"),
    ("https://arxiv.org/abs/hep-th?9901001", "hep-th/9901001"),
    ("https://arxiv.org/abs/arXiv:1601.07616", "1601.07616"),
    ("https://arxiv.org/abs/1805.0001", "1805.00001"),
    ("https://arxiv.org/ftp/arxiv/papers/1502/1502.03167.pdf", "1502.03167"),
    ("arxiv.org/ftp/hep-th/papers/9901/9901001.pdf", "hep-th/9901001"),
]


class ArxivIdFormsReachThePaper(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        for arxiv_id in {canonical for _, canonical in FORMS + LINKS}:
            PaperFactory(arxiv_id=arxiv_id, title=f"Paper {arxiv_id}")

    def test_paper_page_urls_redirect_to_the_one_address(self) -> None:
        for form, canonical in FORMS:
            response = self.client.get(f"/papers/{form}/")
            assert (response.status_code, response["Location"]) == (301, f"/papers/{canonical}/"), form
            assert self.client.get(response["Location"]).status_code == 200, form

    def test_the_discussion_feed_is_not_taken_for_a_trailing_path(self) -> None:
        response = self.client.get("/papers/hep-th/9901001/feed/")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/atom+xml")

    def test_named_finds_the_paper_by_every_form(self) -> None:
        for form, canonical in FORMS + LINKS:
            assert Paper.objects.named(form).get().arxiv_id == canonical, form

    def test_the_search_box_goes_to_the_paper(self) -> None:
        for form, canonical in FORMS + LINKS:
            response = self.client.get("/papers/", {"q": form})
            assert (response.status_code, response["Location"]) == (302, f"/papers/{canonical}/"), form

    def test_a_form_arxiv_refuses_still_says_why(self) -> None:
        refused = [
            "0801.12345",
            "https://arxiv.org/abs?0704.0600",
            "https://arxiv.org/ftp/arxiv/papers/1502/1503.03167.pdf",
        ]
        for form in refused:
            response = self.client.get("/papers/", {"q": form})
            assert response.status_code == 200, form
            assert response.context["results"].message.startswith("That looks like an arXiv id"), form
        assert self.client.get("/papers/0801.12345/").status_code == 404


@pytest.mark.parametrize("form", ["0801.01234", "1805.0001", "hep-th/9901001/extra", "HEP-TH/9901001"])
def test_only_the_canonical_form_is_stored(form: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_arxiv_id(form)
    assert caught.value.code == "not_canonical"
