#!/usr/bin/env python3
"""forecast-mcp: marine and mountain forecasts from the Forecast service.

The README names the site (forecast.test); the code calls its API host,
api.forecast.test, which is documented at site level.
"""
# ok: api.forecast.test

import json
import os
import sys
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from mcp_stdio import FastMCP  # noqa: E402

API_BASE = os.environ.get("FORECAST_API_BASE", "https://api.forecast.test/v2")
TIMEOUT = 10

mcp = FastMCP("forecast")


def _get(path):
    # expect: env-configurable-egress api.forecast.test
    with urllib.request.urlopen(f"{API_BASE}/{path}", timeout=TIMEOUT) as resp:
        return json.load(resp)


@mcp.tool()
def marine_forecast(station: str, hours: int = 24) -> str:
    """Wind, waves and tide for a coastal station."""
    data = _get(f"marine/{urllib.parse.quote(station)}?hours={hours}")
    return "\n".join(f"{p['time']}: wind {p['wind_kn']} kn, waves {p['wave_m']} m" for p in data["points"])


@mcp.tool()
def mountain_forecast(peak: str) -> str:
    """Freezing level and summit wind for a named peak."""
    data = _get(f"mountain/{urllib.parse.quote(peak)}")
    return f"{peak}: freezing level {data['freezing_m']} m, summit wind {data['wind_kmh']} km/h"


if __name__ == "__main__":
    mcp.run()
