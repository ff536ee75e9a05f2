"""inventory_mcp: stock levels from the Example Inventory API."""

__version__ = "0.6.0"
