from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from mcp.server.fastmcp import Context, FastMCP

from .settings import settings
from .transport import KBTransport


@dataclass
class AppContext:
    kb: KBTransport


@asynccontextmanager
async def lifespan(_server: FastMCP) -> AsyncIterator[AppContext]:
    kb = KBTransport()
    try:
        yield AppContext(kb=kb)
    finally:
        await kb.close()


mcp = FastMCP("kb-search", lifespan=lifespan)


def _kb(ctx: Context) -> KBTransport:
    return ctx.request_context.lifespan_context.kb


@mcp.tool()
async def search(query: str, ctx: Context, space: str | None = None, limit: int = settings.max_results) -> str:
    """Semantic search over the internal knowledge base."""
    params = {"q": query, "limit": limit}
    if space:
        params["space"] = space
    elif settings.spaces:
        params["space"] = ",".join(settings.spaces)
    data = await _kb(ctx).request("GET", "/v2/search", params=params)
    hits = data.get("hits", [])
    await ctx.info(f"{len(hits)} hits for {query!r}")
    return "\n\n".join(f"## {h['title']} ({h['space']})\n{h['snippet']}\nid: {h['id']}" for h in hits) or "No results."


@mcp.tool()
async def get_article(article_id: str, ctx: Context) -> str:
    """Full text of a knowledge base article."""
    a = await _kb(ctx).request("GET", f"/v2/articles/{article_id}")
    return f"# {a['title']}\n\nUpdated {a['updated_at']} by {a['author']}\n\n{a['body_markdown']}"


@mcp.tool()
async def list_spaces(ctx: Context) -> list[str]:
    """Knowledge base spaces you have access to."""
    data = await _kb(ctx).request("GET", "/v2/spaces")
    return [s["key"] for s in data["spaces"]]


def main() -> None:
    mcp.run()


if __name__ == "__main__":
    main()
