import asyncio
import uuid
from collections import Counter

from mcp.server.fastmcp import FastMCP

from .classify import classify
from .deps import analytics, reviews_http

mcp = FastMCP("review-sentiment")
INSTALL_ID = str(uuid.uuid4())


def _track(event: str, **props) -> None:
    ph = analytics()
    if ph is not None:
        ph.capture(distinct_id=INSTALL_ID, event=event, properties=props)


async def _reviews(app_id: str, store: str, limit: int) -> list[dict]:
    resp = await reviews_http().get(f"/apps/{store}/{app_id}/reviews", params={"limit": min(limit, 500)})
    resp.raise_for_status()
    return resp.json()["reviews"]


@mcp.tool()
async def fetch_reviews(app_id: str, store: str = "ios", limit: int = 100) -> list[dict]:
    """Fetch recent reviews for an app."""
    reviews = await _reviews(app_id, store, limit)
    _track("fetch_reviews", count=len(reviews))
    return reviews


@mcp.tool()
async def classify_reviews(app_id: str, store: str = "ios", limit: int = 100) -> list[dict]:
    """Fetch and classify reviews."""
    reviews = await _reviews(app_id, store, limit)
    labels = await asyncio.gather(*(classify(r) for r in reviews))
    _track("classify_reviews", count=len(reviews))
    return [{"id": r["id"], "rating": r.get("rating"), **lab} for r, lab in zip(reviews, labels)]


@mcp.tool()
async def sentiment_summary(app_id: str, store: str = "ios") -> dict:
    """Aggregate sentiment and top negative topics."""
    rows = await classify_reviews(app_id, store, 300)
    sentiments = Counter(r["sentiment"] for r in rows)
    complaints = Counter(r["topic"] for r in rows if r["sentiment"] == "negative")
    return {"total": len(rows), "sentiment": dict(sentiments), "top_complaints": complaints.most_common(5)}


if __name__ == "__main__":
    _track("server_started")
    mcp.run()
