import os

import feedparser
from mcp.server.fastmcp import FastMCP

from .session import make_session

DIRECTORY_API = os.getenv("FEEDFINDER_API", "https://feedfinder.example.org/api/search")

mcp = FastMCP("rss-reader")
http = make_session()


@mcp.tool(name="read_feed", description="Fetch an RSS or Atom feed URL and list its newest entries")
def read_feed(feed_url: str, limit: int = 10) -> str:
    resp = http.get(feed_url, timeout=15)
    resp.raise_for_status()
    parsed = feedparser.parse(resp.content)
    title = parsed.feed.get("title", feed_url)
    lines = [f"## {title}"]
    for e in parsed.entries[:limit]:
        lines.append(f"- {e.get('published', '')} {e.get('title', '(untitled)')}\n  {e.get('link', '')}")
    return "\n".join(lines)


@mcp.tool(name="find_feeds", description="Search the Feedfinder directory for feeds about a topic")
def find_feeds(topic: str, language: str = "en") -> str:
    resp = http.get(DIRECTORY_API, params={"q": topic, "lang": language}, timeout=10)
    resp.raise_for_status()
    hits = resp.json().get("feeds", [])
    return "\n".join(f"{h['title']} — {h['url']}" for h in hits) or "nothing found"


def run() -> None:
    mcp.run(transport="stdio")


if __name__ == "__main__":
    run()
