#!/usr/bin/env python3
"""burst: a stress sample for the tracer's capture (bench/trace.sh). Standard library only.

A minimal stdio MCP server (newline-delimited JSON-RPC 2.0) with one tool, `burst`. When it
is called, it makes, as fast as a few threads allow:
  - BURST_N lookups (getaddrinfo) of unique names dN.burst.example.net, and
  - BURST_N TCP connections to unique names cN.burst.example.net port 80, each sending a
    tiny HTTP request and reading the answer (the sinkholes log these), and
  - BURST_N connection attempts to unique names sN.burst.example.net port 81, where no
    sinkhole listens: the tracer's NAT rule brings them to its catch-all listener (without
    nft they are refused at once and only the capture sees them, a SYN to a closed port),
then answers with what it counted (also written to stderr, which the trace record keeps).

With BURST_TLS=1 (bench/tls.sh) it makes only BURST_N HTTPS connections instead, to unique
names hN.burst.example.net port 443, each verifying the certificate with Python's default
context (the system bundle, SSL_CERT_FILE: the tracer's per-run CA is in both), sending
`GET /burst/N` and reading the answer: every one must be read inside TLS and recorded.

Environment: BURST_N (default 2000), BURST_THREADS (default 16), BURST_DELAY (seconds to
wait before the burst, default 0: bench/trace.sh uses it to start tcpdump in the namespace),
BURST_TLS (default 0).

It contacts hosts that do not exist and must only ever run inside `mcpaudit trace`.
"""
import concurrent.futures
import json
import os
import socket
import ssl
import sys
import threading
import time

DOMAIN = "burst.example.net"
PROTOCOLS = ("2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05")


def env_int(name, default):
    try:
        return max(0, int(os.environ.get(name, default)))
    except ValueError:
        return default


class Counts:
    def __init__(self):
        self.lock = threading.Lock()
        self.n = {}

    def add(self, key):
        with self.lock:
            self.n[key] = self.n.get(key, 0) + 1


def lookup(i, counts):
    try:
        socket.getaddrinfo("d%d.%s" % (i, DOMAIN), 80, type=socket.SOCK_STREAM)
        counts.add("dns_ok")
    except OSError:
        counts.add("dns_failed")


def connect(i, counts):
    host = "c%d.%s" % (i, DOMAIN)
    try:
        with socket.create_connection((host, 80), timeout=15) as s:
            s.sendall(("GET /burst/%d HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n" % (i, host)).encode())
            answer = s.recv(1024)
        counts.add("tcp_answered" if answer.startswith(b"HTTP/") else "tcp_no_answer")
    except OSError:
        counts.add("tcp_failed")


def connect_tls(i, counts, context):
    host = "h%d.%s" % (i, DOMAIN)
    try:
        with socket.create_connection((host, 443), timeout=15) as raw:
            with context.wrap_socket(raw, server_hostname=host) as s:
                s.sendall(("GET /burst/%d HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n" % (i, host)).encode())
                answer = s.recv(1024)
        counts.add("https_answered" if answer.startswith(b"HTTP/") else "https_no_answer")
    except ssl.SSLError:
        counts.add("https_refused")
    except OSError:
        counts.add("https_failed")


def attempt_closed(i, counts):
    try:
        with socket.create_connection(("s%d.%s" % (i, DOMAIN), 81), timeout=15):
            counts.add("closed_connected")
    except ConnectionRefusedError:
        counts.add("closed_refused")
    except OSError:
        counts.add("closed_failed")


def burst():
    n, threads = env_int("BURST_N", 2000), env_int("BURST_THREADS", 16) or 1
    context = ssl.create_default_context() if env_int("BURST_TLS", 0) else None
    time.sleep(env_int("BURST_DELAY", 0))
    counts = Counts()
    t0 = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=threads) as pool:
        # interleaved, so lookups and connections overlap
        for i in range(n):
            if context:
                pool.submit(connect_tls, i, counts, context)
                continue
            pool.submit(lookup, i, counts)
            pool.submit(connect, i, counts)
            pool.submit(attempt_closed, i, counts)
    counts.n["n"] = n
    counts.n["seconds"] = round(time.monotonic() - t0, 3)
    line = "burst: " + " ".join("%s=%s" % kv for kv in sorted(counts.n.items()))
    print(line, file=sys.stderr, flush=True)
    return line


TOOL = {
    "name": "burst",
    "description": "Make many DNS lookups and TCP connections as fast as possible",
    "inputSchema": {"type": "object", "properties": {}},
}


def answer(msg):
    method, params = msg.get("method"), msg.get("params") or {}
    if method == "initialize":
        asked = params.get("protocolVersion")
        return {
            "protocolVersion": asked if asked in PROTOCOLS else PROTOCOLS[1],
            "capabilities": {"tools": {}},
            "serverInfo": {"name": "burst", "version": "1.0.0"},
        }
    if method == "tools/list":
        return {"tools": [TOOL]}
    if method == "resources/list":
        return {"resources": []}
    if method == "prompts/list":
        return {"prompts": []}
    if method == "ping":
        return {}
    if method == "tools/call" and params.get("name") == "burst":
        return {"content": [{"type": "text", "text": burst()}]}
    return None


def main():
    for line in sys.stdin:
        try:
            msg = json.loads(line)
        except ValueError:
            continue
        if not isinstance(msg, dict) or "id" not in msg or "method" not in msg:
            continue  # notifications and answers
        result = answer(msg)
        reply = {"jsonrpc": "2.0", "id": msg["id"]}
        if result is None:
            reply["error"] = {"code": -32601, "message": "method not found"}
        else:
            reply["result"] = result
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
