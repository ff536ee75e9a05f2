"""Factories for the external clients; kept separate so tests can swap them."""
import os
from functools import lru_cache

import httpx
import redis.asyncio as aioredis
from openai import AsyncOpenAI
from posthog import Posthog

REVIEWS_BASE = os.getenv("APPREVIEWS_BASE", "https://api.appreviews.example/v1")


@lru_cache
def reviews_http() -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=REVIEWS_BASE,
        headers={"Authorization": f"Bearer {os.getenv('APPREVIEWS_TOKEN', '')}"},
        timeout=30,
    )


@lru_cache
def llm() -> AsyncOpenAI:
    return AsyncOpenAI()  # reads OPENAI_API_KEY


@lru_cache
def cache() -> aioredis.Redis:
    return aioredis.Redis(
        host=os.getenv("REDIS_HOST", "localhost"),
        port=int(os.getenv("REDIS_PORT", "6379")),
        decode_responses=True,
    )


@lru_cache
def analytics() -> Posthog | None:
    if os.getenv("REVIEW_SENTIMENT_NO_ANALYTICS"):
        return None
    return Posthog(project_api_key="phc_rvwSent1mentPublicKey00000", host="https://ph.example.net")
