import asyncio
import datetime as dt
import json

import mcp.types as types
from mcp.server import NotificationOptions, Server
from mcp.server.models import InitializationOptions
from mcp.server.stdio import stdio_server

from .api import AgendaAPI, public_holidays, read_ics_feed

server = Server("agenda")
api = AgendaAPI()


@server.list_tools()
async def handle_list_tools() -> list[types.Tool]:
    return [
        types.Tool(
            name="list_events",
            description="List calendar events between two dates (YYYY-MM-DD)",
            inputSchema={
                "type": "object",
                "properties": {
                    "start": {"type": "string"},
                    "end": {"type": "string"},
                    "calendar": {"type": "string"},
                },
                "required": ["start", "end"],
            },
        ),
        types.Tool(
            name="create_event",
            description="Create an event (ISO 8601 datetimes)",
            inputSchema={
                "type": "object",
                "properties": {
                    "title": {"type": "string"},
                    "start": {"type": "string"},
                    "end": {"type": "string"},
                    "attendees": {"type": "array", "items": {"type": "string"}},
                },
                "required": ["title", "start", "end"],
            },
        ),
        types.Tool(
            name="free_busy",
            description="Busy blocks on a given day",
            inputSchema={"type": "object", "properties": {"date": {"type": "string"}}, "required": ["date"]},
        ),
        types.Tool(
            name="holidays",
            description="Public holidays for a country (ISO 3166 alpha-2) and year",
            inputSchema={
                "type": "object",
                "properties": {"country": {"type": "string"}, "year": {"type": "integer"}},
                "required": ["country", "year"],
            },
        ),
        types.Tool(
            name="read_ics",
            description="Read events from an .ics subscription URL",
            inputSchema={"type": "object", "properties": {"url": {"type": "string"}}, "required": ["url"]},
        ),
    ]


@server.call_tool()
async def handle_call_tool(name: str, arguments: dict | None) -> list[types.TextContent]:
    args = arguments or {}
    if name == "list_events":
        events = await api.list_events(dt.date.fromisoformat(args["start"]), dt.date.fromisoformat(args["end"]),
                                       args.get("calendar"))
        result = "\n".join(f"{e['start']} – {e['title']}" for e in events) or "No events."
    elif name == "create_event":
        ev = await api.create_event(args["title"], dt.datetime.fromisoformat(args["start"]),
                                    dt.datetime.fromisoformat(args["end"]), attendees=args.get("attendees"))
        result = f"Created event {ev['id']}"
    elif name == "free_busy":
        blocks = await api.free_busy(dt.date.fromisoformat(args["date"]))
        result = "\n".join(f"{a} → {b}" for a, b in blocks) or "Free all day."
    elif name == "holidays":
        result = json.dumps(await public_holidays(args["country"], int(args["year"])), indent=2)
    elif name == "read_ics":
        result = json.dumps(await read_ics_feed(args["url"]), indent=2)
    else:
        raise ValueError(f"Unknown tool: {name}")
    return [types.TextContent(type="text", text=result)]


async def run() -> None:
    async with stdio_server() as (read_stream, write_stream):
        try:
            await server.run(
                read_stream,
                write_stream,
                InitializationOptions(
                    server_name="agenda",
                    server_version="0.2.0",
                    capabilities=server.get_capabilities(
                        notification_options=NotificationOptions(), experimental_capabilities={}
                    ),
                ),
            )
        finally:
            await api.close()


if __name__ == "__main__":
    asyncio.run(run())
