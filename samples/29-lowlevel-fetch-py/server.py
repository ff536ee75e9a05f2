#!/usr/bin/env python3
"""webpeek-mcp: fetch pages and resolve names the user asks for.

Written in the SDK's low-level style (@server.list_tools / @server.call_tool).
Negative control: every destination comes from the tool's arguments.
"""

import http.client
import os
import socket
import sys
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from mcp_stdio import Server  # noqa: E402

server = Server("webpeek")
MAX_BYTES = 64_000


@server.list_tools()
async def list_tools():
    return [
        {"name": "fetch_url", "description": "Fetch a URL and return the start of its body",
         "inputSchema": {"type": "object", "properties": {"url": {"type": "string"}}, "required": ["url"]}},
        {"name": "head", "description": "Status and headers of a URL (HEAD request)",
         "inputSchema": {"type": "object", "properties": {"url": {"type": "string"}}, "required": ["url"]}},
        {"name": "resolve", "description": "Addresses of a host name",
         "inputSchema": {"type": "object", "properties": {"host": {"type": "string"}}, "required": ["host"]}},
    ]


def _head(url):
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https":
        conn = http.client.HTTPSConnection(parts.hostname, parts.port, timeout=10)  # expect: user-directed-egress
    else:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)  # expect: user-directed-egress
    conn.request("HEAD", parts.path or "/")
    resp = conn.getresponse()
    lines = ["%d %s" % (resp.status, resp.reason)] + ["%s: %s" % kv for kv in resp.getheaders()]
    conn.close()
    return "\n".join(lines)


@server.call_tool()
async def call_tool(name, arguments):
    if name == "fetch_url":
        url = arguments["url"]
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise ValueError("only http(s) URLs")
        with urllib.request.urlopen(url, timeout=10) as resp:  # expect: user-directed-egress
            text = resp.read(MAX_BYTES).decode("utf-8", "replace")
    elif name == "head":
        text = _head(arguments["url"])
    elif name == "resolve":
        infos = socket.getaddrinfo(arguments["host"], None)  # expect: user-directed-egress
        text = "\n".join(sorted({info[4][0] for info in infos}))
    else:
        raise ValueError(f"Unknown tool: {name}")
    return [{"type": "text", "text": text}]


if __name__ == "__main__":
    server.run()
