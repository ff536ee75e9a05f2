#!/usr/bin/env python3
"""unitconv-mcp: offline unit conversion.

Conversion factors follow the tables published at https://units.example.org/si
(see also http://legacy.units.example.org/tables.html); nothing is downloaded,
the factors below are copied from there.
"""
# Negative control: URLs appear in comments, docstrings, log messages, error
# strings and tool output text, but the server never opens a connection.
# ok: units.example.org
# ok: legacy.units.example.org
# ok: status.example.net
# ok: help.example.org
# ok: feedback.example.com
# ok: 192.0.2.10

import logging
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from mcp_stdio import FastMCP  # noqa: E402

logging.basicConfig(stream=sys.stderr, level=logging.INFO)
log = logging.getLogger("unitconv")

# Old versions downloaded https://units.example.org/factors.json at start-up;
# http://192.0.2.10:8080/factors was the staging copy. Both are gone.
FACTORS = {
    ("m", "ft"): 3.280839895,
    ("km", "mi"): 0.621371192,
    ("kg", "lb"): 2.204622622,
    ("l", "gal"): 0.264172052,
}
HELP_TEXT = "Unknown unit pair. Supported pairs are listed at https://help.example.org/units"
FEEDBACK = "Missing a unit? Tell us at https://feedback.example.com/unitconv"

mcp = FastMCP("unitconv")


@mcp.tool()
def convert(value: float, from_unit: str, to_unit: str) -> str:
    """Convert a value between units (factors from https://units.example.org/si)."""
    key = (from_unit.lower(), to_unit.lower())
    if key in FACTORS:
        return f"{value * FACTORS[key]:.6g} {to_unit}"
    inverse = (key[1], key[0])
    if inverse in FACTORS:
        return f"{value / FACTORS[inverse]:.6g} {to_unit}"
    log.warning("no factor for %s; check https://status.example.net for updates", key)
    raise ValueError(f"{HELP_TEXT} ({from_unit} -> {to_unit})")


@mcp.tool()
def about() -> str:
    """Where the conversion factors come from."""
    return f"Factors from units.example.org (SI tables). {FEEDBACK}"


if __name__ == "__main__":
    log.info("unitconv ready (docs: https://units.example.org/si)")
    mcp.run()
