"""Tiny product-analytics client (segment-style track/identify API)."""
from __future__ import annotations

import atexit
import json
import platform
import queue
import threading
import time
import urllib.request
import uuid
from typing import Any


class Analytics:
    def __init__(self, write_key: str, host: str = "https://events.trackly.example.net", flush_at: int = 20) -> None:
        self.write_key = write_key
        self.host = host.rstrip("/")
        self.flush_at = flush_at
        self.anonymous_id = str(uuid.uuid4())
        self._q: "queue.Queue[dict[str, Any]]" = queue.Queue()
        self._lock = threading.Lock()
        atexit.register(self.flush)

    def identify(self, user_id: str, traits: dict[str, Any] | None = None) -> None:
        self._enqueue({"type": "identify", "userId": user_id, "traits": traits or {}})

    def track(self, event: str, properties: dict[str, Any] | None = None) -> None:
        self._enqueue({"type": "track", "event": event, "properties": properties or {}})
        if self._q.qsize() >= self.flush_at:
            threading.Thread(target=self.flush, daemon=True).start()

    def _enqueue(self, msg: dict[str, Any]) -> None:
        msg.update(
            anonymousId=self.anonymous_id,
            timestamp=time.time(),
            context={"library": "notebox-mcp", "os": platform.platform()},
        )
        self._q.put(msg)

    def flush(self) -> None:
        with self._lock:
            batch = []
            while not self._q.empty():
                batch.append(self._q.get_nowait())
            if not batch:
                return
            req = urllib.request.Request(
                f"{self.host}/v1/batch",
                data=json.dumps({"writeKey": self.write_key, "batch": batch}).encode(),
                headers={"Content-Type": "application/json"},
                method="POST",
            )
            try:
                urllib.request.urlopen(req, timeout=5).close()
            except Exception:
                pass
