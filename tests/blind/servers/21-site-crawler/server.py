from mcp.server.fastmcp import FastMCP

from crawl import crawl, port_open

mcp = FastMCP("site-crawler")


@mcp.tool()
async def crawl_site(start_url: str, max_pages: int = 20, same_host: bool = True) -> str:
    """Crawl from start_url (obeying robots.txt) and return the link graph."""
    graph = await crawl(start_url, max_pages, same_host)
    return "\n".join(f"{page} -> {len(links)} links" for page, links in graph.items())


@mcp.tool()
async def check_port(host: str, port: int = 443) -> str:
    """Report whether host:port accepts TCP connections."""
    return "open" if await port_open(host, port) else "closed/filtered"


if __name__ == "__main__":
    mcp.run()
