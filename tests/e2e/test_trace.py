#!/usr/bin/env python3
"""End to end: `mcpaudit trace` on the sample servers, in the real sandbox with the fake
network, driven over real MCP. Checks what each sample really contacts, with the phase,
and that documented and user-directed destinations are not flagged. When run as root, a
rootless pass (as nobody, via setpriv) repeats a few cases.

Usage: test_trace.py --mcpaudit BIN --source SRCDIR --work DIR
Whether the sandbox can run is decided by tests/lib/sandbox_probe.py, never by mcpaudit's
own failure: with the probe passing, a trace that does not run is a failed check. Without
node, python3 or a sandbox (or, as root, the rootless one) the suite fails under CI=true and
exits 77 (skipped, saying why) elsewhere. Its last line: `N passed, N failed, N skipped`.
"""

import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import testkit  # noqa: E402

# sample, command, {host: (documented, phase or None)}, hosts that must be absent,
# finding (rule, host) pairs that must appear, rules that must not appear at all (or
# (rule, host) pairs that must not appear). A host "*.suffix" stands for any host under
# suffix: names that carry the sandbox's random host or user name.
CASES = [
    ("01-clean-calculator", ["node", "index.js"], {}, [], [], ["undocumented-egress"]),
    ("05-url-fetcher-js", ["node", "index.js"], {"mcpaudit-probe.example.org": (False, None)}, [], [],
     ["undocumented-egress"]),
    ("06-startup-telemetry-js", ["node", "index.js"],
     {"t.metrics.example.net": (False, "startup"), "api.rates.example.com": (True, None)}, [],
     [("undocumented-egress", "t.metrics.example.net")], []),
    # 203.0.113.50:4444 through a sinkhole; the UDP syslog datagram only through the capture
    ("09-raw-sockets-js", ["node", "index.js"], {"203.0.113.50": (False, None), "198.51.100.23": (False, None)}, [],
     [("raw-socket-egress", "203.0.113.50"), ("undocumented-egress", "203.0.113.50"),
      ("raw-socket-egress", "198.51.100.23")], []),
    ("11-websocket-subprocess-js", ["node", "index.js"],
     {"dl.tools.example.org": (False, None), "drop.example.net": (False, None)}, [], [], []),
    ("12-obfuscated-urls-js", ["node", "index.js"],
     {h: (False, None) for h in ("beacon.example.org", "c2.example.net", "cc.example.invalid",
                                 "files.example.org", "h.example.net", "r.example.net")}, [], [], []),
    ("27-handwritten-jsonrpc-py", ["python3", "server.py"],
     {"198.51.100.77": (False, None), "api.cloudcost.example": (True, None)}, [],
     [("raw-socket-egress", "198.51.100.77")], []),
    ("30-startup-telemetry-py", ["python3", "server.py"], {"t.pyinsights.example.org": (False, "startup")}, [],
     [("undocumented-egress", "t.pyinsights.example.org")], []),
    # the planted AWS secret leaves over HTTP at start-up; the SSH key goes back over MCP
    ("31-canary-thief-py", ["python3", "server.py"], {"collect.example.net": (False, "startup")}, [],
     [("credential-exfiltration", "collect.example.net"), ("credential-exfiltration", None),
      ("credential-access", None)], []),
    # MCP over streamable HTTP: the driver's own connections to 127.0.0.1:8765 are not egress
    ("32-streamable-http-py", ["python3", "server.py", "--port", "8765"],
     {"sync.glossary-cloud.example.net": (False, "tools/call suggest"),
      "api.glossary.example.com": (True, "tools/call define")}, ["127.0.0.1"],
     [("undocumented-egress", "sync.glossary-cloud.example.net")], ["raw-socket-egress"]),
    ("02-weather-js", ["node", "index.js"], {"api.weather.example.com": (True, "tools/call current_weather")}, [], [],
     ["undocumented-egress"]),
    # the README names the site forecast.test: its API host is documented at site level
    ("03-forecast-site-docs-py", ["python3", "server.py"],
     {"api.forecast.test": (True, "tools/call mountain_forecast")}, [], [], ["undocumented-egress"]),
    # URLs only in comments, docstrings, logs and messages: nothing contacted
    ("04-urls-in-comments-py", ["python3", "server.py"], {}, [], [], ["undocumented-egress"]),
    ("07-node-http-modules-js", ["node", "index.js"],
     {"api.geo.example.com": (True, "tools/call geocode"), "tiles.geo.example.com": (True, "tools/call tile_info"),
      "stats.example.org": (False, "tools/call geocode")}, [],
     [("undocumented-egress", "stats.example.org")], []),
    ("08-esm-imports-js", ["node", "index.js"],
     {"api.maps.example.com": (True, "tools/call route"),
      "tilecache.maps-cdn.example.net": (False, "tools/call search_places")}, [],
     [("undocumented-egress", "tilecache.maps-cdn.example.net")], []),
    # the host name (random in the sandbox) leaks under x.example.net; the probe host asked
    # for, hex-encoded in two chunks, under d.example.net; the look-ups the user asked for are
    # not flagged
    ("10-dns-exfil-js", ["node", "index.js"],
     {"*.x.example.net": (False, "tools/call resolve"),
      "6d637061756469742d70726f62652e6578616d706c652e6f72.0.d.example.net": (False, "tools/call resolve"),
      "67.1.d.example.net": (False, None), "mcpaudit-probe.example.org": (False, "tools/call mx")}, [],
     [("undocumented-egress", "*.x.example.net"), ("dns-exfiltration", "*.x.example.net"),
      ("dns-exfiltration", "6d637061756469742d70726f62652e6578616d706c652e6f72.0.d.example.net")],
     [("undocumented-egress", "mcpaudit-probe.example.org")]),
    # The hidden hosts of 14, 15, 20, 22 and 28 are reached only after the documented HTTPS API
    # answers: before the tracer terminated TLS (issue 11) the API call failed, the tools
    # stopped there and these cases asserted no undocumented-egress at all.
    ("14-config-module-cjs", ["node", "index.js"],
     {"api.bookmarks.example.com": (True, "tools/call list_bookmarks"),
      "status.bookmarks.example.com": (True, "tools/call service_status"),
      "mirror.bookmarks-sync.example.net": (False, "tools/call add_bookmark")}, [],
     [("undocumented-egress", "mirror.bookmarks-sync.example.net")], []),
    # the GitHub token goes inside TLS to the hidden telemetry host
    ("15-credential-exfil-lowlevel-js", ["node", "index.js"],
     {"api.codehost.test": (True, "tools/call list_issues"), "telemetry.example.org": (False, "tools/call list_repos"),
      "keys.example.net": (False, "tools/call list_issues")}, [],
     [("undocumented-egress", "telemetry.example.org"), ("undocumented-egress", "keys.example.net"),
      ("credential-exfiltration", "telemetry.example.org")], []),
    ("16-handwritten-jsonrpc-js", ["node", "server.js"],
     {"api.memo.test": (True, "tools/call create_memo"), "api.memo.test.example.net": (False, "tools/call recent_memos")},
     [], [("lookalike-domain", "api.memo.test.example.net"), ("undocumented-egress", "api.memo.test.example.net")], []),
    ("17-minified-bundle-js", ["node", "dist/index.js"], {"api.quotes.example.com": (True, "tools/call random_quote")},
     [], [], ["undocumented-egress"]),
    ("18-tides-ts", ["node", "dist/index.js"], {"api.tides.test": (True, "tools/call tide_table")}, [], [],
     ["undocumented-egress"]),
    ("19-startup-beacon-ts", ["node", "dist/index.js"],
     {"i.example.org": (False, "startup"), "palette.example.invalid": (False, "tools/call suggest_palette")}, [],
     [("undocumented-egress", "i.example.org"), ("undocumented-egress", "palette.example.invalid")], []),
    ("20-multi-module-ts", ["node", "dist/index.js"],
     {"api.books.example.com": (True, "tools/call book_details"),
      "metrics.bookstats.example.net": (False, None)}, [],  # fire-and-forget: during the call or just after
     [("undocumented-egress", "metrics.bookstats.example.net")], []),
    ("21-string-formats-py", ["python3", "server.py"],
     {"api.translate.example.org": (True, "tools/call languages"),
      "glossary.lexicon-cache.example.net": (False, "tools/call glossary")}, [],
     [("undocumented-egress", "glossary.lexicon-cache.example.net")], []),
    ("22-package-config-py", ["python3", "-m", "inventory_mcp"],
     {"api.inventory.example.com": (True, "tools/call low_stock"),
      "reports.stockwatch.example.org": (False, "tools/call low_stock")}, [],
     [("undocumented-egress", "reports.stockwatch.example.org")], []),
    # the copy to a port no sinkhole listens on shows as a SYN; the user name (random in the
    # sandbox) leaks under q.example.net
    ("23-sockets-smtp-py", ["python3", "server.py"],
     {"203.0.113.80": (False, "tools/call send_email"), "*.q.example.net": (False, "tools/call send_email"),
      "smtp.postbox.test": (True, "tools/call send_email")}, [],
     [("raw-socket-egress", "203.0.113.80"), ("undocumented-egress", "203.0.113.80"),
      ("undocumented-egress", "*.q.example.net"),
      ("dns-exfiltration", "*.q.example.net")], []),  # the user name, hex-encoded, in a short label
    # git finds no repository in the sandbox (the root is a mount point): the tools fail
    # before they run curl, so nothing is contacted
    ("24-subprocess-curl-py", ["python3", "server.py"], {}, [], [], []),
    # digest rejects the generated algorithm; crc32's first hidden URL fails and ends the try
    ("25-obfuscated-urls-py", ["python3", "server.py"], {"p4.example.invalid": (False, "tools/call crc32")}, [],
     [("undocumented-egress", "p4.example.invalid")], []),
    ("26-dynamic-code-py", ["python3", "server.py"],
     {"x1.example.net": (False, "tools/call lorem"), "mirror.example.net": (False, "tools/call paragraphs")}, [],
     [("undocumented-egress", "x1.example.net"), ("undocumented-egress", "mirror.example.net")], []),
    # Covert channels, each one a behaviour that was once broken on purpose with the suite still
    # green (issue 13): the canary only in an HTTP request's body, the canary hex-encoded in DNS
    # labels, a DNS-over-HTTPS GET, a digit-heavy label, the host name as a plain label. Each
    # check below failed when its behaviour was broken in the C code (how: see MESSAGES).
    ("34-covert-channels-py", ["python3", "server.py"],
     {"upload.example.net": (False, "tools/call sync_note"), "resolver.example.org": (False, "tools/call sync_note"),
      "*.t.example.org": (False, "tools/call sync_note"), "*.s.example.org": (False, "tools/call sync_note"),
      "*.h.example.org": (False, "tools/call sync_note"),
      "statusdashboardnorth.notesync.example.com": (True, "tools/call sync_note")}, [],
     [("credential-exfiltration", "upload.example.net"), ("credential-exfiltration", "*.t.example.org"),
      ("doh-egress", "resolver.example.org"), ("dns-exfiltration", "*.s.example.org"),
      ("dns-exfiltration", "*.h.example.org")],
     [("dns-exfiltration", "statusdashboardnorth.notesync.example.com"), ("doh-egress", "upload.example.net"),
      ("dns-exfiltration", "upload.example.net")]),
    ("28-requests-httpx-fallback-py", ["python3", "server.py"],
     {"api.recipes.example.com": (True, "tools/call save_favorite"),
      "mcpaudit-probe.example.org": (False, "tools/call import_recipe"),
      "events.recipe-metrics.example.net": (False, "tools/call search_recipes")}, [],
     [("undocumented-egress", "events.recipe-metrics.example.net")], [("undocumented-egress", "mcpaudit-probe.example.org")]),
    # every destination comes from the arguments: user-directed, not flagged
    ("29-lowlevel-fetch-py", ["python3", "server.py"],
     {"mcpaudit-probe.example.org": (False, "tools/call head")}, [], [], ["undocumented-egress"]),
]
# options a sample needs besides the defaults
OPTIONS = {"32-streamable-http-py": ["--http", "8765/mcp"]}
# the process each destination must be attributed to (a child process, not the server)
PROCESS = {"11-websocket-subprocess-js": {"dl.tools.example.org": "curl -fsSL", "drop.example.net": "curl -s -X POST"}}
# (rule, host, words its message must hold): the finding is there for the right reason.
# Each was checked by breaking the behaviour in the C code and seeing the check fail:
#   body canary:   tracer/session.c search_canaries searched only c->first_bytes up to the
#                  end of the HTTP head ("\r\n\r\n"): no credential-exfiltration for upload.example.net;
#   DNS canary:    the canary_search_dns call in search_canaries removed: none for *.t.example.org;
#   doh-egress:    tracer/decode/http.c is_doh() returning false: no doh-egress;
#   digit label:   tracer/dynamic_stage.c data_label() without its `digits * 4 >= len` clause:
#                  no dns-exfiltration for *.s.example.org;
#   host name:     identity_leak() asking identity_in_dns_name for 1 value (the user name) instead
#                  of 2: no dns-exfiltration for *.h.example.org.
MESSAGES = {"34-covert-channels-py": [
    ("credential-exfiltration", "upload.example.net", "aws_secret_access_key"),
    ("credential-exfiltration", "*.t.example.org", "hex"),
    ("doh-egress", "resolver.example.org", "over HTTPS"),
    ("dns-exfiltration", "*.s.example.org", "first label looks like data"),
    ("dns-exfiltration", "*.h.example.org", "host name")]}
ROOTLESS = {"32-streamable-http-py", "06-startup-telemetry-js", "30-startup-telemetry-py", "09-raw-sockets-js", "31-canary-thief-py",
            "11-websocket-subprocess-js"}


def trace(args, sample, command, prefix):
    cwd = os.path.join(args.source, "samples", sample)
    out = os.path.join(args.work, sample + (".rootless" if prefix else "") + ".json")
    # the samples share samples/lib: the sandbox shows samples/ (a clone may live under /tmp,
    # which the sandbox replaces with a private one)
    cmd = prefix + [args.mcpaudit, "trace", "--format", "json", "--output", out, "--quiet-period", "1",
                    "--timeout", "60", "--root", os.path.join(args.source, "samples")] + OPTIONS.get(sample, []) + ["--"] + command
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=120)
    report = None
    if proc.returncode in (0, 1) and os.path.exists(out):
        with open(out) as fh:
            report = json.load(fh)
    return proc, report


def check_case(res, args, case, prefix, label):
    sample, command, hosts, absent, findings, forbidden = case
    proc, report = trace(args, sample, command, prefix)
    res.check(report is not None, f"{label}{sample}: trace ran (exit {proc.returncode}) {proc.stderr.strip()[:300]}")
    if report is None:
        return
    endpoints = {}
    for ep in report["endpoints"]:
        endpoints.setdefault(ep["host"], []).append(ep)

    def host_matches(pattern, host):
        if pattern.startswith("*."):
            return bool(host) and host.endswith(pattern[1:]) and len(host) > len(pattern) - 1
        return host == pattern

    for host, (documented, phase) in hosts.items():
        eps = [ep for h, list_ in endpoints.items() if host_matches(host, h) for ep in list_]
        res.check(bool(eps), f"{label}{sample}: {host} contacted")
        if not eps:
            continue
        res.check(all(ep["documented"] == documented for ep in eps),
                  f"{label}{sample}: {host} {'documented' if documented else 'not documented'}")
        if phase:
            phases = {ev["phase"] for ep in eps for ev in ep["evidence"]}
            res.check(phase in phases, f"{label}{sample}: {host} seen during {phase} (got {sorted(phases)})")
    for host in absent:
        res.check(not any(host_matches(host, h) for h in endpoints), f"{label}{sample}: {host} not contacted")
    if not hosts:
        res.check(not report["endpoints"], f"{label}{sample}: no destination at all (got {sorted(endpoints)})")
    got = {(f["rule_id"], f.get("host")) for f in report["findings"]}
    for rule, host in findings:
        res.check(any(r == rule and (h == host if host is None else host_matches(host, h)) for r, h in got),
                  f"{label}{sample}: finding {rule} {host}")
    for entry in forbidden:
        rule, host = entry if isinstance(entry, tuple) else (entry, None)
        res.check(not any(f["rule_id"] == rule and (host is None or host_matches(host, f.get("host")))
                          for f in report["findings"]),
                  f"{label}{sample}: no {rule}" + (f" for {host}" if host else ""))
    for rule, host, words in MESSAGES.get(sample, []):
        msgs = [f["message"] for f in report["findings"] if f["rule_id"] == rule and host_matches(host, f.get("host"))]
        res.check(any(words in m for m in msgs), f"{label}{sample}: {rule} {host} says {words!r} ({msgs[:1]})")
    for host, needle in PROCESS.get(sample, {}).items():
        texts = [ev.get("expression") or "" for ep in endpoints.get(host, []) for ev in ep["evidence"]]
        res.check(any(needle in t for t in texts), f"{label}{sample}: {host} attributed to {needle!r}")


EXFIL_SERVER = """import os, sys, urllib.request
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mcp_stdio import FastMCP
mcp = FastMCP("pastebot")

@mcp.tool()
def share(text: str) -> str:
    \"\"\"Share a snippet.\"\"\"
    try:
        urllib.request.urlopen("http://%s/api/new", data=text.encode(), timeout=3).read()
    except OSError:
        pass
    return "shared"

if __name__ == "__main__":
    mcp.run()
"""


def listed_exfil_host(source):
    """The first plain host of the curated exfil-prone list (core/data/exfil_services.txt).
    That list names real services only, so no reserved name can stand in: the test takes the
    name from the list rather than writing one down, and it never leaves the sandbox (the
    fake DNS answers it with a sinkhole inside the network namespace the tracer made)."""
    with open(os.path.join(source, "core", "data", "exfil_services.txt")) as fh:
        for line in fh:
            entry = line.split("#", 1)[0].strip()
            if entry and "*" not in entry and "/" not in entry:
                return entry
    return None


def check_exfil_prone(res, args):
    """exfil-prone-destination end to end: a server posting to a listed service, traced.
    Checked to fail with core/policy.c check_exfil() returning 0 at once."""
    host = listed_exfil_host(args.source)
    res.check(host is not None, "core/data/exfil_services.txt lists a plain host")
    if not host:
        return
    root = os.path.join(args.work, "exfil-prone")
    os.makedirs(root, exist_ok=True)
    shutil.copy(os.path.join(args.source, "samples", "lib", "mcp_stdio.py"), root)
    with open(os.path.join(root, "server.py"), "w") as fh:
        fh.write(EXFIL_SERVER % host)
    out = os.path.join(args.work, "exfil-prone.json")
    proc = subprocess.run([args.mcpaudit, "trace", "--format", "json", "--output", out, "--quiet-period", "1",
                           "--timeout", "60", "--root", root, "--", "python3", "server.py"],
                          cwd=root, capture_output=True, text=True, timeout=120)
    report = None
    if proc.returncode in (0, 1) and os.path.exists(out):
        with open(out) as fh:
            report = json.load(fh)
    res.check(report is not None, f"exfil-prone: trace ran (exit {proc.returncode}) {proc.stderr.strip()[:300]}")
    found = [f for f in (report or {}).get("findings", []) if f["rule_id"] == "exfil-prone-destination"]
    res.check(any(f.get("host") == host and f["severity"] == "high" and f.get("phase") == "tools/call share"
                  for f in found),
              f"exfil-prone: exfil-prone-destination (high) for {host} during tools/call share "
              f"({[(f.get('host'), f['severity'], f.get('phase')) for f in found]})")


def main():
    ap = testkit.arg_parser()
    args = testkit.parse(ap)
    args.source = os.path.abspath(args.source)
    args.work = os.path.abspath(args.work)
    os.makedirs(args.work, exist_ok=True)
    why = testkit.missing_tools("node", "python3") or testkit.sandbox_problem()
    if why:
        return testkit.cannot_run(why)
    res = testkit.Tally()
    for case in CASES:
        check_case(res, args, case, [], "")
    # --pcap keeps the raw capture: a pcap file (magic a1b2c3d4) holding the UDP datagram
    pcap = os.path.join(args.work, "09.pcap")
    subprocess.run([args.mcpaudit, "trace", "--format", "json", "--output", os.path.join(args.work, "09p.json"),
                    "--quiet-period", "1", "--root", os.path.join(args.source, "samples"), "--pcap", pcap, "--",
                    "node", "index.js"], cwd=os.path.join(args.source, "samples", "09-raw-sockets-js"),
                   capture_output=True, timeout=120)
    data = open(pcap, "rb").read() if os.path.exists(pcap) else b""
    res.check(data[:4] in (b"\xd4\xc3\xb2\xa1", b"\xa1\xb2\xc3\xd4"), "--pcap writes a pcap file")
    res.check(bytes([198, 51, 100, 23]) in data, "the pcap file holds the datagram to 198.51.100.23")
    check_exfil_prone(res, args)
    rootless_pass(res, args)
    return res.finish()


def rootless_pass(res, args):
    """As root, a few cases again as nobody: the rootless sandbox (a user namespace)."""
    if os.geteuid() != 0:
        print("# not root: the cases above already ran rootless")
        return
    why = testkit.sandbox_problem(rootless=True)
    if why:
        res.skip("rootless pass (as nobody)", why)
        return
    os.chmod(args.work, 0o777)
    for case in CASES:
        if case[0] in ROOTLESS:
            check_case(res, args, case, testkit.nobody_prefix(), "rootless ")


if __name__ == "__main__":
    sys.exit(main())
