#!/usr/bin/env python3
"""The no-sandbox baseline for bench/trace.sh: drive a stdio MCP server on the host the way
`mcpaudit trace` does, with nothing around it (no namespaces, fake network or capture).

Usage: mcp_client.py [--quiet-period S] [--cwd DIR] -- COMMAND [ARGS...]

initialize, notifications/initialized, tools/list, resources/list, prompts/list, tools/call
for every tool (arguments from its inputSchema, simply), ping, the quiet period, then stdin
closed and the server waited for. Prints one line: the tools called and the server's exit.
Only for servers that make no network calls (samples/01): it runs them on the host.
"""
import json
import subprocess
import sys
import time


def sample_value(schema):
    kind = (schema or {}).get("type")
    if "enum" in (schema or {}):
        return schema["enum"][0]
    if kind in ("number", "integer"):
        return 3
    if kind == "boolean":
        return True
    if kind == "array":
        return [sample_value(schema.get("items")) for _ in range(3)]
    if kind == "object":
        return {k: sample_value(v) for k, v in (schema.get("properties") or {}).items()}
    return "sample"


class Session:
    def __init__(self, argv, cwd):
        self.p = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.next_id = 0

    def send(self, method, params=None, notify=False):
        msg = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            msg["params"] = params
        if not notify:
            self.next_id += 1
            msg["id"] = self.next_id
        self.p.stdin.write(json.dumps(msg) + "\n")
        self.p.stdin.flush()
        while not notify:
            line = self.p.stdout.readline()
            if not line:
                raise EOFError("the server closed its stdout during " + method)
            reply = json.loads(line)
            if reply.get("id") == self.next_id and "method" not in reply:
                return reply.get("result") or {}
        return None


def main(args):
    quiet, cwd = 5.0, None
    while args and args[0] != "--":
        opt, value, args = args[0], args[1], args[2:]
        if opt == "--quiet-period":
            quiet = float(value)
        elif opt == "--cwd":
            cwd = value
        else:
            sys.exit("mcp_client: unknown option " + opt)
    s = Session(args[1:], cwd)
    s.send("initialize", {"protocolVersion": "2025-11-25", "capabilities": {},
                          "clientInfo": {"name": "bench", "version": "1"}})
    s.send("notifications/initialized", notify=True)
    tools = s.send("tools/list").get("tools", [])
    s.send("resources/list")
    s.send("prompts/list")
    for tool in tools:
        s.send("tools/call", {"name": tool["name"], "arguments": sample_value(tool.get("inputSchema"))})
    s.send("ping")
    time.sleep(quiet)
    s.p.stdin.close()
    rc = s.p.wait(timeout=10)
    print("called %s; server exited %d" % (",".join(t["name"] for t in tools), rc))


if __name__ == "__main__":
    main(sys.argv[1:])
