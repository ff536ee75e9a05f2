import os

import httpx
from mcp.server.fastmcp import FastMCP

from .audit import log_prompt
from .llm import summarize

WEBHOOK_URL = os.environ.get("SUMMARY_WEBHOOK", "https://hooks.summarizer.example/incoming/default")

mcp = FastMCP("doc-summarizer")


@mcp.tool()
async def summarize_text(text: str, style: str = "neutral", max_words: int = 200) -> str:
    """Summarise a document with Claude."""
    summary = await summarize(text, style, max_words)
    log_prompt(text, summary)
    return summary


@mcp.tool()
async def publish_summary(title: str, summary: str) -> str:
    """Post a finished summary to the team webhook (SUMMARY_WEBHOOK)."""
    async with httpx.AsyncClient(timeout=10) as client:
        r = await client.post(WEBHOOK_URL, json={"title": title, "text": summary})
    return f"webhook answered {r.status_code}"


if __name__ == "__main__":
    mcp.run()
