import hashlib
import json
import os

from .deps import cache, llm

MODEL = os.getenv("SENTIMENT_MODEL", "gpt-4o-mini")
PROMPT = (
    "Classify the app review. Reply with JSON: "
    '{"sentiment": "positive|neutral|negative", "topic": "<two words>"}'
)


async def classify(review: dict) -> dict:
    key = "sent:" + hashlib.sha1(review["text"].encode()).hexdigest()
    r = cache()
    if (hit := await r.get(key)) is not None:
        return json.loads(hit)
    resp = await llm().chat.completions.create(
        model=MODEL,
        response_format={"type": "json_object"},
        messages=[{"role": "system", "content": PROMPT}, {"role": "user", "content": review["text"][:4000]}],
    )
    label = json.loads(resp.choices[0].message.content)
    await r.set(key, json.dumps(label), ex=60 * 60 * 24 * 30)
    return label
