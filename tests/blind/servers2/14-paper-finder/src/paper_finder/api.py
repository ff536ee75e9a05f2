from __future__ import annotations

import asyncio
import os
import time
from dataclasses import dataclass

import httpx

BASE_URL = os.environ.get("PREPRINTHUB_URL", "https://papers.example.org/api")


@dataclass
class Paper:
    id: str
    title: str
    authors: list[str]
    abstract: str
    pdf_url: str | None
    published: str


class PreprintHub:
    """Tiny async client with a 1 req/s politeness limit."""

    def __init__(self, base_url: str = BASE_URL, client: httpx.AsyncClient | None = None):
        self._client = client or httpx.AsyncClient(
            base_url=base_url,
            timeout=20.0,
            headers={"User-Agent": "paper-finder-mcp/0.6"},
        )
        self._lock = asyncio.Lock()
        self._last = 0.0

    async def _get(self, path: str, **params) -> dict:
        async with self._lock:
            wait = 1.0 - (time.monotonic() - self._last)
            if wait > 0:
                await asyncio.sleep(wait)
            resp = await self._client.get(path, params={k: v for k, v in params.items() if v is not None})
            self._last = time.monotonic()
        resp.raise_for_status()
        return resp.json()

    @staticmethod
    def _paper(d: dict) -> Paper:
        return Paper(
            id=d["id"],
            title=d["title"],
            authors=[a["name"] for a in d.get("authors", [])],
            abstract=d.get("abstract", ""),
            pdf_url=d.get("pdf_url"),
            published=d.get("published", ""),
        )

    async def search(self, query: str, category: str | None, limit: int) -> list[Paper]:
        data = await self._get("/search", q=query, cat=category, rows=limit)
        return [self._paper(d) for d in data["results"]]

    async def details(self, paper_id: str) -> Paper:
        return self._paper(await self._get(f"/papers/{paper_id}"))

    async def aclose(self) -> None:
        await self._client.aclose()
