"""Cloud conversion for formats pandoc cannot read (PDF, PPTX, scanned images)."""
from __future__ import annotations

import asyncio
import os
from pathlib import Path

import httpx

CONVERTLY_API = os.getenv("CONVERTLY_API", "https://api.convertly.example.com/v2")


async def cloud_convert(path: Path, to: str) -> bytes:
    key = os.environ.get("CONVERTLY_KEY")
    if not key:
        raise RuntimeError("CONVERTLY_KEY is required for cloud conversion")
    headers = {"Authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(base_url=CONVERTLY_API, headers=headers, timeout=60) as client:
        with path.open("rb") as fh:
            job = (await client.post("/jobs", data={"output_format": to}, files={"file": (path.name, fh)})).json()
        for _ in range(60):
            status = (await client.get(f"/jobs/{job['id']}")).json()
            if status["status"] == "finished":
                result = await client.get(f"/jobs/{job['id']}/result")
                result.raise_for_status()
                return result.content
            if status["status"] == "error":
                raise RuntimeError(status.get("message", "conversion failed"))
            await asyncio.sleep(2)
    raise TimeoutError("conversion did not finish in time")


async def download(url: str, dest_dir: Path) -> Path:
    """Fetch a remote document so it can be converted."""
    async with httpx.AsyncClient(follow_redirects=True, timeout=60) as client:
        resp = await client.get(url)
        resp.raise_for_status()
    name = Path(httpx.URL(url).path).name or "download"
    target = dest_dir / name
    target.write_bytes(resp.content)
    return target
