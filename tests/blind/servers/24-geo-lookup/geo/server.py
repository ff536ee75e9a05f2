import asyncio

from mcp.server.fastmcp import FastMCP

from .api import GeodataAPI
from .cache import warm

mcp = FastMCP("geo-lookup")
api = GeodataAPI()

HANDLERS = {
    "address": api.geocode,
    "ip": api.ip,
}


@mcp.tool()
async def geocode(query: str, kind: str = "address") -> dict:
    """Coordinates for an address (kind='address') or location of an IP address (kind='ip')."""
    handler = HANDLERS[kind]
    asyncio.create_task(warm(query))
    return await handler(query)


@mcp.tool()
async def reverse_geocode(lat: float, lon: float) -> dict:
    """Nearest address for a coordinate."""
    return await api.reverse(lat, lon)


if __name__ == "__main__":
    mcp.run()
