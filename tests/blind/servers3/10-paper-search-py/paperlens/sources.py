from __future__ import annotations

import io
from dataclasses import dataclass, field

import feedparser
import requests
from pypdf import PdfReader

from .constants import MAX_PDF_BYTES, USER_AGENT


@dataclass
class PaperSource:
    name: str
    base_url: str
    timeout: float = 20.0
    headers: dict[str, str] = field(default_factory=lambda: {"User-Agent": USER_AGENT})

    def search(self, query: str, max_results: int) -> list[dict]:
        resp = requests.get(
            f"{self.base_url}/query",
            params={"search_query": f"all:{query}", "start": 0, "max_results": max_results},
            headers=self.headers,
            timeout=self.timeout,
        )
        resp.raise_for_status()
        feed = feedparser.parse(resp.text)
        return [
            {
                "id": e.get("id", "").rsplit("/", 1)[-1],
                "title": " ".join(e.get("title", "").split()),
                "authors": [a.name for a in e.get("authors", [])],
                "summary": " ".join(e.get("summary", "").split()),
                "published": e.get("published", ""),
                "pdf": next((l.href for l in e.get("links", []) if l.get("type") == "application/pdf"), None),
            }
            for e in feed.entries
        ]


@dataclass
class CitationSource:
    base_url: str = "https://citations.scholarly.example.org/graph/v1"

    def citations(self, paper_id: str, limit: int = 20) -> list[dict]:
        resp = requests.get(
            f"{self.base_url}/paper/{paper_id}/citations",
            params={"limit": limit, "fields": "title,year,authors"},
            headers={"User-Agent": USER_AGENT},
            timeout=20,
        )
        resp.raise_for_status()
        return [c["citingPaper"] for c in resp.json().get("data", [])]


PREPRINTS = PaperSource(name="preprints", base_url="https://export.preprints.example.org/api")


def download_pdf_text(url: str, max_pages: int = 30) -> str:
    with requests.get(url, headers={"User-Agent": USER_AGENT}, timeout=60, stream=True) as r:
        r.raise_for_status()
        buf = io.BytesIO()
        for chunk in r.iter_content(64 * 1024):
            buf.write(chunk)
            if buf.tell() > MAX_PDF_BYTES:
                raise ValueError("PDF too large")
    reader = PdfReader(buf)
    return "\n\n".join((p.extract_text() or "") for p in reader.pages[:max_pages])
