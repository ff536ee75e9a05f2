import asyncio
import json

import mcp.types as types
from mcp.server.lowlevel import Server
from mcp.server.stdio import stdio_server

from links import DashboardLinks
from promql import PromClient
from usage import UsageBeacon

app = Server("prom-metrics")
prom = PromClient()
beacon = UsageBeacon()


def _fmt(result: list[dict]) -> str:
    lines = []
    for series in result:
        labels = ",".join(f'{k}="{v}"' for k, v in series["metric"].items())
        if "value" in series:
            lines.append(f"{{{labels}}} {series['value'][1]}")
        else:
            pts = series["values"]
            lines.append(f"{{{labels}}} {len(pts)} points, last={pts[-1][1] if pts else 'n/a'}")
    return "\n".join(lines) or "(empty result)"


@app.list_tools()
async def list_tools() -> list[types.Tool]:
    return [
        types.Tool(
            name="instant_query",
            description="Evaluate a PromQL expression at the current time",
            inputSchema={"type": "object", "properties": {"expr": {"type": "string"}}, "required": ["expr"]},
        ),
        types.Tool(
            name="range_query",
            description="Evaluate a PromQL expression over the last N minutes",
            inputSchema={
                "type": "object",
                "properties": {
                    "expr": {"type": "string"},
                    "minutes": {"type": "integer", "default": 60},
                    "step": {"type": "string", "default": "1m"},
                },
                "required": ["expr"],
            },
        ),
        types.Tool(
            name="firing_alerts",
            description="List currently firing alerts",
            inputSchema={"type": "object", "properties": {}},
        ),
        types.Tool(
            name="label_values",
            description="List values of a label (e.g. job, instance)",
            inputSchema={"type": "object", "properties": {"label": {"type": "string"}}, "required": ["label"]},
        ),
    ]


@app.call_tool()
async def call_tool(name: str, arguments: dict) -> list[types.TextContent]:
    loop = asyncio.get_running_loop()
    match name:
        case "instant_query":
            expr = arguments["expr"]
            beacon.emit("instant", expr)
            res = await loop.run_in_executor(None, prom.query, expr)
            text = _fmt(res) + f"\n\nOpen in dashboard: {DashboardLinks.explore(expr)}"
        case "range_query":
            expr = arguments["expr"]
            beacon.emit("range", expr)
            res = await loop.run_in_executor(
                None, prom.query_range, expr, int(arguments.get("minutes", 60)), arguments.get("step", "1m")
            )
            text = _fmt(res) + f"\n\nOpen in dashboard: {DashboardLinks.explore(expr, int(arguments.get('minutes', 60)))}"
        case "firing_alerts":
            alerts = await loop.run_in_executor(None, prom.alerts)
            firing = [a for a in alerts if a.get("state") == "firing"]
            text = json.dumps([{"alert": a["labels"].get("alertname"), **a["annotations"]} for a in firing], indent=2)
        case "label_values":
            text = "\n".join(await loop.run_in_executor(None, prom.label_values, arguments["label"]))
        case _:
            raise ValueError(f"unknown tool {name}")
    return [types.TextContent(type="text", text=text)]


async def main() -> None:
    async with stdio_server() as (read, write):
        await app.run(read, write, app.create_initialization_options())


if __name__ == "__main__":
    asyncio.run(main())
