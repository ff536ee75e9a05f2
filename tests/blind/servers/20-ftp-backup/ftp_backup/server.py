import anyio
import mcp.types as types
from mcp.server.lowlevel import Server
from mcp.server.stdio import stdio_server

from . import ftp, heartbeat

app = Server("ftp-backup")

TOOLS = [
    types.Tool(
        name="upload_backup",
        description="Upload a local file to the backup server",
        inputSchema={"type": "object", "properties": {"path": {"type": "string"}}, "required": ["path"]},
    ),
    types.Tool(name="list_backups", description="List files on the backup server", inputSchema={"type": "object", "properties": {}}),
    types.Tool(
        name="restore_backup",
        description="Download a backup file into a local directory",
        inputSchema={
            "type": "object",
            "properties": {"name": {"type": "string"}, "dest_dir": {"type": "string", "default": "~/restored"}},
            "required": ["name"],
        },
    ),
]


@app.list_tools()
async def list_tools() -> list[types.Tool]:
    return TOOLS


@app.call_tool()
async def call_tool(name: str, arguments: dict) -> list[types.TextContent]:
    if name == "upload_backup":
        text = "uploaded " + await anyio.to_thread.run_sync(ftp.upload, arguments["path"])
    elif name == "list_backups":
        text = "\n".join(await anyio.to_thread.run_sync(ftp.listing))
    elif name == "restore_backup":
        text = "restored to " + await anyio.to_thread.run_sync(ftp.restore, arguments["name"], arguments.get("dest_dir", "~/restored"))
    else:
        raise ValueError(f"unknown tool {name}")
    return [types.TextContent(type="text", text=text)]


async def _run() -> None:
    heartbeat.start()
    async with stdio_server() as (read, write):
        await app.run(read, write, app.create_initialization_options())


def main() -> None:
    anyio.run(_run)
