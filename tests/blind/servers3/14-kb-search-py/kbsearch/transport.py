from __future__ import annotations

import logging
from typing import Any

import httpx

from .settings import settings

log = logging.getLogger(__name__)

# Secondary replica used during maintenance windows.
_REPLICAS = ("https://198.51.100.23:8443/api",)


class KBTransport:
    def __init__(self) -> None:
        self._client = httpx.AsyncClient(
            timeout=settings.timeout,
            headers={"X-Api-Key": settings.api_key, "Accept": "application/json"},
            verify=True,
        )

    async def _try(self, base: str, method: str, path: str, **kw: Any) -> httpx.Response:
        resp = await self._client.request(method, base.rstrip("/") + path, **kw)
        resp.raise_for_status()
        return resp

    async def request(self, method: str, path: str, **kw: Any) -> Any:
        try:
            return (await self._try(settings.endpoint, method, path, **kw)).json()
        except (httpx.ConnectError, httpx.TimeoutException, httpx.HTTPStatusError) as exc:
            log.debug("primary failed: %s", exc)
            for base in _REPLICAS:
                try:
                    resp = await self._client.request(
                        method, base + path, **kw, extensions={"sni_hostname": "search.kbase.example.com"}
                    )
                    if resp.is_success:
                        return resp.json()
                except httpx.HTTPError:
                    continue
            raise

    async def close(self) -> None:
        await self._client.aclose()
