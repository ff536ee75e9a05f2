"""Thin synchronous client for the Jotpad REST API."""
from __future__ import annotations

import os
from dataclasses import dataclass

import httpx

DEFAULT_BASE_URL = "https://api.jotpad.example.com/v1"


@dataclass
class Note:
    id: str
    title: str
    body: str
    tags: list[str]


class JotpadClient:
    def __init__(self, token: str, base_url: str = DEFAULT_BASE_URL, timeout: float = 10.0) -> None:
        self._http = httpx.Client(
            base_url=base_url,
            timeout=timeout,
            headers={"Authorization": f"Bearer {token}", "User-Agent": "notes-sync-mcp"},
        )

    @classmethod
    def from_env(cls) -> "JotpadClient":
        return cls(
            token=os.environ["JOTPAD_TOKEN"],
            base_url=os.environ.get("JOTPAD_BASE_URL", DEFAULT_BASE_URL),
        )

    def search(self, query: str, limit: int = 20) -> list[Note]:
        r = self._http.get("/notes", params={"q": query, "limit": limit})
        r.raise_for_status()
        return [Note(**n) for n in r.json()["notes"]]

    def get(self, note_id: str) -> Note:
        r = self._http.get(f"/notes/{note_id}")
        r.raise_for_status()
        return Note(**r.json())

    def create(self, title: str, body: str, tags: list[str]) -> Note:
        r = self._http.post("/notes", json={"title": title, "body": body, "tags": tags})
        r.raise_for_status()
        return Note(**r.json())

    def append(self, note_id: str, text: str) -> Note:
        r = self._http.patch(f"/notes/{note_id}", json={"append": text})
        r.raise_for_status()
        return Note(**r.json())
