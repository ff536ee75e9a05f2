"""mcp_stdio: a tiny, stdlib-only stand-in for the `mcp` Python SDK.

FastMCP (``@mcp.tool()`` and ``mcp.run()``) and a low-level Server
(``@server.list_tools()``, ``@server.call_tool()``) speaking MCP over stdio:
newline-delimited JSON-RPC 2.0.
"""

import asyncio
import inspect
import json
import sys

PROTOCOL_VERSION = "2025-06-18"

_JSON_TYPES = {str: "string", int: "integer", float: "number", bool: "boolean", list: "array", dict: "object"}


class McpError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def _schema_for(fn):
    """JSON Schema of a tool function's parameters, from its annotations."""
    props, required = {}, []
    for name, param in inspect.signature(fn).parameters.items():
        props[name] = {"type": _JSON_TYPES.get(param.annotation, "string")}
        if param.default is inspect.Parameter.empty:
            required.append(name)
    return {"type": "object", "properties": props, "required": required}


def _run_maybe_async(value):
    return asyncio.run(value) if inspect.isawaitable(value) else value


class _StdioLoop:
    """Reads requests from stdin, answers on stdout, until stdin closes."""

    def __init__(self, name):
        self.name = name

    def handle(self, method, params):  # overridden
        raise McpError(-32601, f"Method not found: {method}")

    def _dispatch(self, msg):
        method = msg.get("method")
        if method == "initialize":
            return {
                "protocolVersion": PROTOCOL_VERSION,
                "capabilities": {"tools": {}},
                "serverInfo": {"name": self.name, "version": "0.1.0"},
            }
        if method == "ping":
            return {}
        return self.handle(method, msg.get("params") or {})

    def _answer(self, line):
        try:
            msg = json.loads(line)
        except ValueError:
            return {"jsonrpc": "2.0", "id": None, "error": {"code": -32700, "message": "Parse error"}}
        if not isinstance(msg, dict) or msg.get("jsonrpc") != "2.0" or not isinstance(msg.get("method"), str):
            if isinstance(msg, dict) and msg.get("id") is not None:
                return {"jsonrpc": "2.0", "id": msg["id"], "error": {"code": -32600, "message": "Invalid Request"}}
            return None
        if msg.get("id") is None:
            return None  # a notification, such as notifications/initialized
        try:
            return {"jsonrpc": "2.0", "id": msg["id"], "result": self._dispatch(msg)}
        except McpError as err:
            return {"jsonrpc": "2.0", "id": msg["id"], "error": {"code": err.code, "message": str(err)}}
        except Exception as err:  # a bug in a handler must not kill the server
            return {"jsonrpc": "2.0", "id": msg["id"], "error": {"code": -32603, "message": str(err)}}

    def run(self, transport="stdio"):
        for line in sys.stdin:
            if not line.strip():
                continue
            reply = self._answer(line)
            if reply is not None:
                sys.stdout.write(json.dumps(reply) + "\n")
                sys.stdout.flush()


class FastMCP(_StdioLoop):
    """High-level server: each decorated function is a tool."""

    def __init__(self, name, instructions=None):
        super().__init__(name)
        self.instructions = instructions
        self._tools = {}

    def tool(self, name=None, description=None):
        def register(fn):
            self._tools[name or fn.__name__] = {
                "fn": fn,
                "description": description or inspect.getdoc(fn) or "",
                "inputSchema": _schema_for(fn),
            }
            return fn

        return register

    def handle(self, method, params):
        if method == "tools/list":
            return {"tools": [{"name": n, "description": t["description"], "inputSchema": t["inputSchema"]}
                              for n, t in self._tools.items()]}
        if method == "tools/call":
            tool = self._tools.get(params.get("name"))
            if tool is None:
                raise McpError(-32602, f"Unknown tool: {params.get('name')}")
            try:
                text = _run_maybe_async(tool["fn"](**(params.get("arguments") or {})))
                return {"content": [{"type": "text", "text": str(text)}], "isError": False}
            except Exception as err:
                return {"content": [{"type": "text", "text": f"Error: {err}"}], "isError": True}
        return super().handle(method, params)


class Server(_StdioLoop):
    """Low-level server: one list_tools and one call_tool handler."""

    def __init__(self, name):
        super().__init__(name)
        self._list = None
        self._call = None

    def list_tools(self):
        def register(fn):
            self._list = fn
            return fn

        return register

    def call_tool(self):
        def register(fn):
            self._call = fn
            return fn

        return register

    def handle(self, method, params):
        if method == "tools/list" and self._list:
            return {"tools": _run_maybe_async(self._list())}
        if method == "tools/call" and self._call:
            content = _run_maybe_async(self._call(params.get("name"), params.get("arguments") or {}))
            return {"content": content, "isError": False}
        return super().handle(method, params)
