"""Readable names of the licenses arXiv records carry (as URLs): arXiv's own and Creative Commons'."""

from __future__ import annotations

import re

# arXiv's own licenses, by the path of their URL on arxiv.org.
_ARXIV_LICENSES = {
    "nonexclusive-distrib/1.0": "arXiv non-exclusive license to distribute",
    "assumed-1991-2003": "arXiv assumed license (1991-2003)",
}
# Creative Commons licenses: licenses/<kind>/<version>[/<jurisdiction>], publicdomain/zero/1.0 (CC0) and the
# retired public domain dedication (licenses/publicdomain).
_CREATIVE_COMMONS = re.compile(
    r"licenses/(?P<kind>by(?:-nc)?(?:-sa|-nd)?)/(?P<version>[0-9]+(?:\.[0-9]+)?)(?:/(?P<port>[a-z]{2}))?"
    r"|publicdomain/zero/(?P<zero>[0-9]+\.[0-9]+)"
    r"|(?P<dedication>licenses/publicdomain)"
)
_HOST_AND_PATH = re.compile(r"https?://(?:www\.)?(?P<host>arxiv\.org|creativecommons\.org)/(?P<path>[^?#]*?)/?")


def license_name(url: str) -> str:
    """A reader's name for a license URL: "CC BY 4.0", "CC0 1.0", "arXiv non-exclusive license to distribute";
    the URL itself for a license not known here, and "" for none."""
    url = url.strip()
    match = _HOST_AND_PATH.fullmatch(url)
    if match is None:
        return url
    host, path = match["host"], match["path"]
    if host == "arxiv.org":
        return _ARXIV_LICENSES.get(path.removeprefix("licenses/"), url)
    cc = _CREATIVE_COMMONS.fullmatch(path)
    if cc is None:
        return url
    if cc["zero"]:
        return f"CC0 {cc['zero']}"
    if cc["dedication"]:
        return "Public domain (Creative Commons dedication)"
    name = f"CC {cc['kind'].upper()} {cc['version']}"
    return f"{name} ({cc['port'].upper()})" if cc["port"] else name
