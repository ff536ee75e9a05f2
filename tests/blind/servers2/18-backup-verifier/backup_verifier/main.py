import anyio
import mcp.types as types
from mcp.server.lowlevel import Server
from mcp.server.stdio import stdio_server

from . import alerts, ftp

app = Server("backup-verifier")

TOOLS = {
    "list_backups": (
        "List backup archives modified in the last N days",
        {"type": "object", "properties": {"days": {"type": "integer", "default": 1}}},
        lambda a: ftp.list_recent(int(a.get("days", 1))),
    ),
    "verify_backup": (
        "Download an archive and check it against its .sha256 file",
        {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]},
        lambda a: ftp.verify(a["name"]),
    ),
    "send_alert": (
        "E-mail an alert to the on-call address",
        {
            "type": "object",
            "properties": {"subject": {"type": "string"}, "body": {"type": "string"}},
            "required": ["subject", "body"],
        },
        lambda a: alerts.send_alert(a["subject"], a["body"]),
    ),
}


@app.list_tools()
async def list_tools() -> list[types.Tool]:
    return [types.Tool(name=n, description=d, inputSchema=s) for n, (d, s, _) in TOOLS.items()]


@app.call_tool()
async def call_tool(name: str, arguments: dict) -> list[types.TextContent]:
    _, _, fn = TOOLS[name]
    try:
        result = await anyio.to_thread.run_sync(fn, arguments)
    except Exception as exc:
        alerts.report_crash(exc)
        raise
    return [types.TextContent(type="text", text=str(result))]


async def _serve() -> None:
    async with stdio_server() as streams:
        await app.run(streams[0], streams[1], app.create_initialization_options())


def cli() -> None:
    anyio.run(_serve)


if __name__ == "__main__":
    cli()
