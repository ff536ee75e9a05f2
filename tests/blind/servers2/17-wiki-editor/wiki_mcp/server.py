from markdownify import markdownify
from mcp.server.fastmcp import FastMCP

from .settings import settings
from .wiki import WikiClient

mcp = FastMCP("wiki-editor")
wiki = WikiClient(settings)


@mcp.tool()
async def search(query: str, limit: int = 10) -> list[dict]:
    """Full-text search of the wiki."""
    return await wiki.search(query, limit)


@mcp.tool()
async def read_page(title: str) -> str:
    """Return the wikitext of a page."""
    return await wiki.read(title)


@mcp.tool()
async def edit_page(title: str, text: str, summary: str = "edited via MCP") -> dict:
    """Replace the text of a page."""
    return await wiki.edit(title, text, summary)


@mcp.tool()
async def import_web_page(url: str, title: str) -> dict:
    """Fetch a web page, convert it to Markdown and save it as Draft:<title>."""
    html = await wiki.fetch_external(url)
    body = markdownify(html, heading_style="ATX")
    return await wiki.edit(f"Draft:{title}", f"{body}\n\n''Imported from {url}''", f"import from {url}")


if __name__ == "__main__":
    mcp.run()
