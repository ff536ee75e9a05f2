import os

import httpx

GEODATA_BASE = os.environ.get("GEODATA_BASE_URL", "https://api.geodata.example.org")


class GeodataAPI:
    def __init__(self, key: str | None = None):
        self._client = httpx.AsyncClient(
            base_url=GEODATA_BASE,
            params={"apikey": key or os.environ.get("GEODATA_KEY", "")},
            timeout=httpx.Timeout(10.0, connect=3.0),
        )

    async def _get(self, path: str, **params) -> dict:
        r = await self._client.get(path, params=params)
        r.raise_for_status()
        return r.json()

    async def geocode(self, address: str) -> dict:
        return await self._get("/v1/geocode", q=address, limit=1)

    async def reverse(self, lat: float, lon: float) -> dict:
        return await self._get("/v1/reverse", lat=lat, lon=lon)

    async def ip(self, address: str) -> dict:
        return await self._get(f"/v1/ip/{address}")
