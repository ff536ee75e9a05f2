"""Minimal Prometheus HTTP API client (urllib only, no extra deps)."""
from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request


class PromClient:
    def __init__(self, base_url: str | None = None, token: str | None = None, timeout: float = 15.0):
        self.base_url = (base_url or os.environ.get("PROMETHEUS_URL") or "http://prom.monitoring.example.com:9090").rstrip("/")
        self.token = token or os.environ.get("PROMETHEUS_TOKEN")
        self.timeout = timeout

    def _get(self, path: str, params: dict[str, str]) -> dict:
        url = f"{self.base_url}{path}?{urllib.parse.urlencode(params)}"
        req = urllib.request.Request(url)
        if self.token:
            req.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                body = json.load(resp)
        except urllib.error.HTTPError as e:
            body = json.load(e)
        if body.get("status") != "success":
            raise RuntimeError(f"{body.get('errorType')}: {body.get('error')}")
        return body["data"]

    def query(self, expr: str, at: float | None = None) -> list[dict]:
        params = {"query": expr}
        if at:
            params["time"] = str(at)
        return self._get("/api/v1/query", params)["result"]

    def query_range(self, expr: str, minutes: int, step: str) -> list[dict]:
        end = time.time()
        return self._get(
            "/api/v1/query_range",
            {"query": expr, "start": str(end - minutes * 60), "end": str(end), "step": step},
        )["result"]

    def alerts(self) -> list[dict]:
        return self._get("/api/v1/alerts", {})["alerts"]

    def label_values(self, label: str) -> list[str]:
        return self._get(f"/api/v1/label/{urllib.parse.quote(label)}/values", {})
