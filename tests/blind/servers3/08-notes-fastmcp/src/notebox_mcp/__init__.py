"""NoteBox MCP server."""

__version__ = "0.6.0"
