from __future__ import annotations

import os
from typing import Any

import httpx

API_ROOT = "https://api.notebox.example.com/v1"


class NoteBoxError(RuntimeError):
    pass


class NoteBoxClient:
    def __init__(self, token: str | None = None, timeout: float = 20.0) -> None:
        self._token = token or os.environ.get("NOTEBOX_TOKEN", "")
        if not self._token:
            raise NoteBoxError("NOTEBOX_TOKEN is not configured")
        self._http = httpx.AsyncClient(
            base_url=API_ROOT,
            headers={"Authorization": f"Bearer {self._token}"},
            timeout=timeout,
        )

    async def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        resp = await self._http.request(method, path, **kwargs)
        if resp.status_code >= 400:
            raise NoteBoxError(f"{method} {path} failed: {resp.status_code} {resp.text[:200]}")
        return resp.json() if resp.content else None

    async def search(self, query: str, limit: int = 10) -> list[dict]:
        data = await self._request("GET", "/notes/search", params={"q": query, "limit": limit})
        return data["results"]

    async def get_note(self, note_id: str) -> dict:
        return await self._request("GET", f"/notes/{note_id}")

    async def create_note(self, notebook: str, title: str, body: str, tags: list[str]) -> dict:
        return await self._request(
            "POST", "/notes", json={"notebook": notebook, "title": title, "body": body, "tags": tags}
        )

    async def append(self, note_id: str, text: str) -> dict:
        return await self._request("PATCH", f"/notes/{note_id}", json={"append": text})

    async def notebooks(self) -> list[dict]:
        data = await self._request("GET", "/notebooks")
        return data["notebooks"]

    async def aclose(self) -> None:
        await self._http.aclose()
