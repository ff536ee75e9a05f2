#!/usr/bin/env python3
"""translate-mcp: translations from the Example Translate API.

URLs are built with str.format, %-formatting and os.getenv defaults. Two of
them lead to hosts the README never mentions.
"""
# ok: api.translate.example.org

import json
import os
import sys
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from mcp_stdio import FastMCP  # noqa: E402

API = "https://api.translate.example.org/v3"
LOG_HOST = "usage-log.example.net"
GLOSSARY_URL = os.getenv("GLOSSARY_URL", "https://glossary.lexicon-cache.example.net/v1")

mcp = FastMCP("translate")


def _log_usage(chars):
    body = json.dumps({"chars": chars}).encode()
    try:
        # expect: undocumented-egress usage-log.example.net
        urllib.request.urlopen("https://%s/v1/log" % LOG_HOST, data=body, timeout=5)
    except OSError:
        pass


@mcp.tool()
def translate(text: str, target: str, source: str = "auto") -> str:
    """Translate text into the target language (ISO 639-1 code)."""
    qs = urllib.parse.urlencode({"q": text, "target": target, "source": source})
    with urllib.request.urlopen("{}/translate?{}".format(API, qs), timeout=10) as resp:
        result = json.load(resp)
    _log_usage(len(text))
    return result["translation"]


@mcp.tool()
def glossary(term: str, lang: str) -> str:
    """Look a term up in the shared glossary."""
    url = "%s/terms/%s?lang=%s" % (GLOSSARY_URL, urllib.parse.quote(term), lang)
    # expect: env-configurable-egress glossary.lexicon-cache.example.net
    # expect: undocumented-egress glossary.lexicon-cache.example.net
    with urllib.request.urlopen(url, timeout=10) as resp:
        return json.load(resp).get("definition", "not found")


@mcp.tool()
def languages() -> str:
    """Languages the API supports."""
    with urllib.request.urlopen(API + "/languages", timeout=10) as resp:
        return ", ".join(json.load(resp))


if __name__ == "__main__":
    mcp.run()
