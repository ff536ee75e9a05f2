#!/usr/bin/env python3
"""End to end: the HTML report of a few samples, opened in headless Chromium.

For each sample, `mcpaudit scan --format html` writes a page, and Chromium
- takes a screenshot: a PNG of the window's size that is not blank (compared with the
  screenshot of an empty page, by how much of the decoded image differs from its
  neighbouring pixels);
- dumps the DOM it rendered: the SVG picture with one node per drawn endpoint, the
  Content-Security-Policy, no script element, and every endpoint host of the JSON report
  for the same sample;
- logs its network activity (--log-net-log): the page makes no request at all (no http,
  https, ws, no DNS look-up of a reported host). Chromium's own background traffic
  (component updates, network time) has no page as initiator and is not counted; a
  deliberately leaky page checks that the page's requests would be.

Usage: test_html.py --mcpaudit BIN --source SRCDIR --work DIR
Without Chromium the suite fails under CI=true (scripts/setup.sh installs it) and exits 77
(skipped, saying why) elsewhere. Last line: `N passed, N failed, N skipped`.
Python 3 standard library only.
"""

import html
import json
import re
import os
import shutil
import struct
import subprocess
import sys
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import testkit  # noqa: E402

# start-up telemetry, obfuscated hosts, a user-directed destination, long DNS-exfiltration
# names, and a server with no destination at all (an empty picture)
SAMPLES = ["06-startup-telemetry-js", "12-obfuscated-urls-js", "05-url-fetcher-js",
           "10-dns-exfil-js", "01-clean-calculator"]
WINDOW = (1280, 2000)
PICTURE_MAX = 40           # nodes the report draws (core/report_html.c)
TIMEOUT = 60
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
# Make Chromium as quiet as it goes, and resolve nothing: even a leak could not get out.
QUIET_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
               "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--disable-extensions",
               "--disable-default-apps", "--host-resolver-rules=MAP * ~NOTFOUND"]
# The page that must be caught: every way a page can load something.
LEAKY_PAGE = """<!DOCTYPE html><html><head><title>leak</title>
<style>body{background:url(http://bg.leak.invalid/b.png)}</style>
<link rel="stylesheet" href="https://css.leak.invalid/a.css"></head>
<body><img src="http://img.leak.invalid/x.png"></body></html>
"""


class Results(testkit.Tally):
    def check(self, ok, what, detail=""):
        return super().check(ok, what + (f": {detail}" if detail and not ok else ""))


def chromium(work, page, *flags):
    """Run Chromium on a file; its standard output (the DOM for --dump-dom), or None."""
    cmd = [find_chromium()] + QUIET_FLAGS + [f"--user-data-dir={os.path.join(work, 'profile')}",
                                             f"--window-size={WINDOW[0]},{WINDOW[1]}"]
    cmd += list(flags) + ["file://" + os.path.abspath(page)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return None
    return proc.stdout


def find_chromium():
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


def png_rows(path):
    """(width, height, bytes per pixel, decompressed scanlines) of an 8-bit PNG (RFC 2083)."""
    with open(path, "rb") as fh:
        data = fh.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, width, height, bpp = 8, [], 0, 0, 0
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            bpp = {0: 1, 2: 3, 4: 2, 6: 4}.get(colour, 0) * (depth // 8)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        pos += 12 + length
    return width, height, bpp, zlib.decompress(b"".join(idat))


def busy_fraction(path):
    """The share of filtered PNG bytes that are not zero. A uniform image filters to zeros
    (every pixel equals its neighbour), so this measures how much is drawn without
    undoing the filters pixel by pixel in Python."""
    width, height, bpp, raw = png_rows(path)
    stride = 1 + width * bpp
    if bpp == 0 or len(raw) != stride * height:
        raise ValueError("unexpected PNG layout")
    filters = raw[::stride]
    return (len(raw) - raw.count(0) - (len(filters) - filters.count(0))) / len(raw), (width, height)


def load_netlog(path):
    """Chromium's NetLog JSON; when it was cut short, closed by hand as its format allows."""
    with open(path, encoding="utf-8", errors="replace") as fh:
        text = fh.read()
    for tail in ("", "]}", "{}]}"):
        try:
            return json.loads(text.rstrip().rstrip(",") + tail)
        except json.JSONDecodeError:
            continue
    raise ValueError("unreadable net log")


def page_requests(netlog, hosts):
    """URL requests the page made, and any network event naming a host of the report.
    Chromium's own requests say "not an origin" as initiator and belong to no page."""
    names = {v: k for k, v in netlog["constants"]["logEventTypes"].items()}
    found = set()
    for event in netlog["events"]:
        params = event.get("params") or {}
        text = json.dumps(params)
        for host in hosts:
            if host in text:
                found.add(f"{names.get(event['type'])} names {host}")
        url = params.get("url", "")
        if names.get(event["type"]) != "URL_REQUEST_START_JOB" or not url or url.startswith("file:"):
            continue
        if params.get("initiator") != "not an origin" or "file://" in params.get("network_isolation_key", ""):
            found.add(url)
    return sorted(found)


def endpoint_hosts(report):
    """What names each endpoint in the page: its host, or the known end of it."""
    return [ep.get("host") or ep.get("host_suffix") for ep in report["endpoints"]
            if ep.get("host") or ep.get("host_suffix")]


def scan(args, sample, fmt, out):
    proc = subprocess.run([args.mcpaudit, "scan", "--format", fmt, "--output", out,
                           os.path.join(args.source, "samples", sample)],
                          capture_output=True, text=True, timeout=TIMEOUT)
    return proc.returncode in (0, 1) and os.path.exists(out), proc.stderr.strip()


def check_screenshot(res, args, page, name, blank_busy):
    png = os.path.join(args.work, name + ".png")
    chromium(args.work, page, f"--screenshot={png}")
    if not os.path.exists(png):
        res.check(False, f"{name}: screenshot written")
        return
    busy, size = busy_fraction(png)
    res.check(size == WINDOW, f"{name}: screenshot is {WINDOW[0]}x{WINDOW[1]}", str(size))
    # an empty page measures about 4e-7, the smallest report about 1e-2
    res.check(busy > max(0.002, 100 * blank_busy), f"{name}: screenshot is not blank",
              f"{busy:.4f} of the image drawn, an empty page {blank_busy:.4f}")


def check_dom(res, args, page, name, report, netlog):
    dom = chromium(args.work, page, "--dump-dom", f"--log-net-log={netlog}") or ""
    hosts = endpoint_hosts(report)
    drawn = min(len(report["endpoints"]), PICTURE_MAX)
    res.check("<svg" in dom and "</svg>" in dom, f"{name}: the rendered DOM holds the SVG picture")
    nodes = dom.count('<circle class="node ')
    res.check(nodes == drawn, f"{name}: {drawn} endpoint nodes drawn", f"{nodes} found")
    res.check("Content-Security-Policy" in dom, f"{name}: the page carries its CSP")
    res.check("<script" not in dom.lower(), f"{name}: no script element")
    missing = [h for h in hosts if html.escape(h, quote=False) not in dom]
    res.check(not missing, f"{name}: all {len(hosts)} endpoint hosts are in the page", ", ".join(missing))
    leaks = page_requests(load_netlog(netlog), hosts) if os.path.exists(netlog) else ["no net log"]
    res.check(not leaks, f"{name}: no network request", "; ".join(leaks[:5]))


def check_sample(res, args, sample, blank_busy):
    page = os.path.join(args.work, sample + ".html")
    js = os.path.join(args.work, sample + ".json")
    ok_html, why = scan(args, sample, "html", page)
    ok_json, _ = scan(args, sample, "json", js)
    res.check(ok_html and ok_json, f"{sample}: scan --format html and json", why)
    if not (ok_html and ok_json):
        return
    with open(js, encoding="utf-8") as fh:
        report = json.load(fh)
    check_screenshot(res, args, page, sample, blank_busy)
    check_dom(res, args, page, sample, report, os.path.join(args.work, sample + ".net.json"))


def check_audit(res, args, blank_busy):
    """An audit's page: the verdict first, the install phase on the picture's edge."""
    out = os.path.join(args.work, "audit33")
    proc = subprocess.run([args.mcpaudit, "audit", "--quiet-period", "1", "--output-dir", out,
                           os.path.join(args.source, "samples", "33-postinstall-beacon-js")],
                          capture_output=True, text=True, timeout=300)
    page, js = os.path.join(out, "report.html"), os.path.join(out, "report.json")
    res.check(proc.returncode in (0, 1) and os.path.exists(page) and os.path.exists(js),
              "audit 33: --output-dir wrote report.html and report.json", proc.stderr.strip()[-300:])
    if not (os.path.exists(page) and os.path.exists(js)):
        return
    with open(js, encoding="utf-8") as fh:
        report = json.load(fh)
    check_screenshot(res, args, page, "audit33", blank_busy)
    check_dom(res, args, page, "audit33", report, os.path.join(args.work, "audit33.net.json"))
    dom = chromium(args.work, page, "--dump-dom") or ""
    verdict = report["verdict"]["result"].upper()
    at_verdict, at_table = dom.find(verdict), dom.find("<table")
    res.check(0 <= at_verdict < at_table, f"audit 33: the verdict {verdict} renders before the tables")
    dynamic = report.get("stages", {}).get("dynamic")
    svg = dom[dom.find("<svg"):dom.find("</svg>")]
    res.check(bool(dynamic) and re.search(r'<text class="el"[^>]*>[^<]*\binstall\b[^<]*</text>', svg) is not None,
              "audit 33: the picture's edge is labelled with the install phase")


def check_controls(res, args):
    """An empty page (the blank screenshot to compare with) and a leaky one (the network
    check must see its loads). Returns the empty page's busy fraction."""
    blank = os.path.join(args.work, "blank.html")
    leaky = os.path.join(args.work, "leaky.html")
    with open(blank, "w", encoding="utf-8") as fh:
        fh.write("<!DOCTYPE html><html><head><title>blank</title></head><body></body></html>\n")
    with open(leaky, "w", encoding="utf-8") as fh:
        fh.write(LEAKY_PAGE)
    png = os.path.join(args.work, "blank.png")
    chromium(args.work, blank, f"--screenshot={png}")
    blank_busy = busy_fraction(png)[0] if os.path.exists(png) else 0.0
    netlog = os.path.join(args.work, "leaky.net.json")
    chromium(args.work, leaky, "--dump-dom", f"--log-net-log={netlog}")
    leaks = page_requests(load_netlog(netlog), []) if os.path.exists(netlog) else []
    res.check(len([u for u in leaks if ".leak.invalid" in u]) >= 2,
              "control: the network check sees a leaky page's requests", "; ".join(leaks))
    return blank_busy


def main():
    ap = testkit.arg_parser()
    args = testkit.parse(ap)
    args.source = os.path.abspath(args.source)
    args.work = os.path.abspath(args.work)
    if not find_chromium():
        return testkit.cannot_run("chromium is not installed (scripts/setup.sh installs it)")
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    res = Results()
    blank_busy = check_controls(res, args)
    for sample in SAMPLES:
        check_sample(res, args, sample, blank_busy)
    check_audit(res, args, blank_busy)
    return res.finish()


if __name__ == "__main__":
    sys.exit(main())
