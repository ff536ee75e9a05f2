import asyncio
import json

import mcp.types as types
from mcp.server import Server
from mcp.server.stdio import stdio_server

from .config import Config
from .services import InvoiceStore, Mailer, OcrClient

cfg = Config()
store = InvoiceStore(cfg)
ocr = OcrClient(cfg)
mailer = Mailer(cfg)

server = Server("invoice-inbox")


@server.list_tools()
async def list_tools() -> list[types.Tool]:
    return [
        types.Tool(
            name="list_invoices",
            description="List invoice PDFs in the inbox bucket",
            inputSchema={"type": "object", "properties": {"prefix": {"type": "string"}}},
        ),
        types.Tool(
            name="extract_invoice",
            description="OCR an invoice and extract its fields",
            inputSchema={"type": "object", "properties": {"key": {"type": "string"}}, "required": ["key"]},
        ),
        types.Tool(
            name="send_summary",
            description="E-mail a summary of the given invoices to accounting",
            inputSchema={
                "type": "object",
                "properties": {"keys": {"type": "array", "items": {"type": "string"}}},
                "required": ["keys"],
            },
        ),
    ]


def _extract(key: str) -> dict:
    return ocr.parse(store.read(key), key.rsplit("/", 1)[-1])


def _summary(keys: list[str]) -> str:
    rows = []
    for key in keys:
        f = _extract(key)
        rows.append(f"{f.get('supplier', '?'):30} {f.get('total', '?'):>12} due {f.get('due_date', '?')}  ({key})")
    mailer.send(f"Invoice summary ({len(rows)} invoices)", "\n".join(rows))
    return f"sent summary of {len(rows)} invoices to {cfg.accounting_email}"


@server.call_tool()
async def call_tool(name: str, arguments: dict) -> list[types.TextContent]:
    if name == "list_invoices":
        result = await asyncio.to_thread(store.list, arguments.get("prefix", ""))
    elif name == "extract_invoice":
        result = await asyncio.to_thread(_extract, arguments["key"])
    elif name == "send_summary":
        result = await asyncio.to_thread(_summary, arguments["keys"])
    else:
        raise ValueError(f"unknown tool: {name}")
    text = result if isinstance(result, str) else json.dumps(result, indent=2)
    return [types.TextContent(type="text", text=text)]


async def main() -> None:
    async with stdio_server() as (read, write):
        await server.run(read, write, server.create_initialization_options())


def run() -> None:
    asyncio.run(main())


if __name__ == "__main__":
    run()
