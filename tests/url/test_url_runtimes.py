#!/usr/bin/env python3
"""URL hosts as the runtimes see them: each string of the table goes to Node (new URL(s),
hostname and port), to this Python (urllib.parse.urlsplit(s).hostname and .port) and to
mcpaudit's url_parse_as (through the url_probe binary built next to the unit tests), and
the hosts must agree. Issue 8 item 15: before url_parse_as, url_parse found no host in
"https:\\\\evil.example.net/", "http:evil.example.net" and "https://%65vil.example.net/", a
wrong one in "https://ev\\til.example.net/" and the numeric IPv4 forms, and kept IDNs in
Unicode (checked by running this table against the url_parse of commit b7a3d2a through the
same probe: 27 of the strings disagreed with Node, 42 checks in all).

The comparison normalises only what url_parts documents: a trailing dot is dropped, IPv6
without brackets, a Python zone id dropped, a non-special scheme's host lower-cased, and a
Python IDN compared in its IDNA form. Ports are compared for http(s), ws(s) and ftp URLs
with a scheme (url_parts gives "//host" port 0, and other schemes their well-known port).

Usage: test_url_runtimes.py --mcpaudit BIN --source SRCDIR --work DIR [--probe BIN]
Exits 77 (skipped) when node is not installed.
"""

import json
import os
import shutil
import subprocess
import sys
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import testkit  # noqa: E402

CASES = [
    # ordinary
    "https://api.example.com/v1/x",
    "HTTP://API.Example.COM",
    "https://api.example.com:8443/x",
    "wss://relay.example.net/ws?x=1",
    "ws://relay.example.net",
    "ftp://files.example.com/a",
    # backslashes: WHATWG takes them as slashes for special schemes, Python does not
    "https:\\\\evil.example.net/",
    "https:/\\evil.example.net/",
    "https://example.com\\@evil.example.net/",
    "https://good.example.com\\.evil.example.net/",
    # no slashes, or too many
    "http:evil.example.net",
    "https:///evil.example.net/path",
    "ws:evil.example.net",
    # percent-encoding in the host
    "https://%65vil.example.net/",
    "https://evil%2Eexample%2Enet/",
    "https://ex%41mple.com/",
    # tabs and newlines, leading and trailing spaces
    "https://ev\til.example.net/",
    "https://evil.exa\nmple.net/",
    "ht\ttps://evil.example.net/",
    "  https://evil.example.net/  ",
    "\x01https://evil.example.net/",
    # case
    "HTTPS://EVIL.EXAMPLE.NET/",
    "hTtP://Evil.Example.Net:8080/",
    # userinfo with @ and :
    "https://user:p@ss@evil.example.net/",
    "https://good.example.com@evil.example.net/",
    "https://user:pass@evil.example.net:8443/",
    "https://a:b:c@evil.example.net/",
    "https://good.example.com:443@evil.example.net/",
    # IPv6
    "http://[2001:db8::5]:8080/",
    "http://[2001:DB8:0:0:0:0:0:5]/",
    "http://[::ffff:198.51.100.7]/",
    "http://[fe80::1%25eth0]/",
    "http://[2001:db8::1/",
    # IPv4 numeric forms
    "http://2130706433/",
    "http://0x7f.1/",
    "http://0177.0.0.1/",
    "http://127.1/",
    "http://0xC6.0x33.0x64.0x07/",
    "http://3325256711/",
    "http://198.51.100.7./",
    "http://198.51.100.256/",
    "http://1.2.3.4.5/",
    # trailing dots
    "https://evil.example.net./",
    "https://evil.example.net../",
    # ports
    "https://evil.example.net:443/",
    "https://evil.example.net:08080/",
    "https://evil.example.net:/",
    "https://evil.example.net:99999/",
    "https://evil.example.net:80a/",
    # protocol-relative
    "//evil.example.net/x",
    "//evil.example.net:8443",
    # other schemes
    "wss://evil.example.net:9443/socket",
    "ftp://user@evil.example.net/",
    "redis://:secret@cache.example.net:6380/0",
    "postgres://u:pw@db.example.net/app",
    "mailto:someone@example.net",
    # IDN look-alikes: shown in their xn-- form
    "https://\u0430pple.example/",
    "https://b\u00fccher.example/",
    "https://EXAMPLE.\uff43om/",
    # not URLs
    "api.example.com/v1",
    "/relative/path",
    "",
]

NODE = r"""
const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const defaults = {'http:': 80, 'https:': 443, 'ws:': 80, 'wss:': 443, 'ftp:': 21};
console.log(JSON.stringify(cases.map(s => {
  try {
    const rel = s.replace(/^[\x00-\x20]+/, '').replace(/[\t\n\r]/g, '').startsWith('//');
    const u = rel ? new URL(s, 'http://base.invalid/') : new URL(s);
    if (!u.hostname) return {host: null};
    const special = u.protocol in defaults;
    return {host: u.hostname, special,
            port: u.port ? Number(u.port) : (defaults[u.protocol] || 0)};
  } catch (e) { return {host: null}; }
})));
"""


def node_hosts(cases):
    out = subprocess.run(["node", "-e", NODE], input=json.dumps(cases), capture_output=True, text=True,
                         timeout=60, check=True)
    return json.loads(out.stdout)


def python_host(s):
    try:
        h = urllib.parse.urlsplit(s).hostname
    except ValueError:
        return None
    if not h:
        return None
    if ":" in h:
        h = h.split("%")[0]  # an IPv6 zone id
    if any(ord(c) > 127 for c in h):
        try:
            h = h.encode("idna").decode()
        except UnicodeError:
            return None
    return h


def strip_dot(h):
    """mcpaudit names a host without trailing dots ("a.example.." is the name a.example)."""
    while h and len(h) > 1 and h.endswith("."):
        h = h[:-1]
    return h


def main():
    ap = testkit.arg_parser()
    ap.add_argument("--probe")
    args = testkit.parse(ap)
    why = testkit.missing_tools("node")
    if why:
        return testkit.cannot_run(why)
    probe = args.probe or os.path.join(os.path.dirname(os.path.abspath(args.mcpaudit)), "tests", "url_probe")
    ours = json.loads(subprocess.run([probe], input=json.dumps(CASES), capture_output=True, text=True,
                                     timeout=60, check=True).stdout)
    node = node_hosts(CASES)
    failed = checked = 0
    for s, o, n in zip(CASES, ours, node):
        want_js = strip_dot(n["host"].strip("[]")) if n["host"] else None
        if want_js and not n.get("special"):
            want_js = want_js.lower()
        want_py = strip_dot(python_host(s))
        checks = [("node", want_js, o["whatwg"]), ("python", want_py, o["python"])]
        if n["host"] and o["whatwg"] and n.get("special") and not s.lstrip().startswith("//"):
            checks.append(("node port", n["port"], o["whatwg_port"]))
        for who, want, got in checks:
            ok = want == got
            failed += not ok
            checked += 1
            print(("ok - " if ok else "not ok - ") + f"{who}: {s!r}: runtime {want!r}, mcpaudit {got!r}")
    print(f"{len(CASES)} strings, {failed} disagreements")
    return testkit.finish(checked - failed, failed, 0)


if __name__ == "__main__":
    sys.exit(main())
