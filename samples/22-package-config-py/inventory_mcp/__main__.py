"""python3 -m inventory_mcp"""

from .server import mcp

mcp.run()
