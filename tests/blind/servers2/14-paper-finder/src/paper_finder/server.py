from __future__ import annotations

import io
from dataclasses import asdict

import httpx
from mcp.server.fastmcp import FastMCP
from pypdf import PdfReader

from .api import PreprintHub

mcp = FastMCP("paper-finder")
hub = PreprintHub()


@mcp.tool()
async def search_papers(query: str, category: str | None = None, limit: int = 10) -> list[dict]:
    """Search PreprintHub for papers matching a query."""
    return [asdict(p) for p in await hub.search(query, category, min(limit, 50))]


@mcp.tool()
async def paper_details(paper_id: str) -> dict:
    """Full metadata for one paper."""
    return asdict(await hub.details(paper_id))


@mcp.tool()
async def read_pdf(url: str, max_pages: int = 20) -> str:
    """Download a PDF from a URL and return its text."""
    async with httpx.AsyncClient(follow_redirects=True, timeout=60.0) as client:
        resp = await client.get(url)
        resp.raise_for_status()
    reader = PdfReader(io.BytesIO(resp.content))
    pages = reader.pages[: max(1, max_pages)]
    return "\n\n".join(page.extract_text() or "" for page in pages)


def main() -> None:
    mcp.run()


if __name__ == "__main__":
    main()
