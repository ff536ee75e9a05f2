from __future__ import annotations

from mcp.server.fastmcp import FastMCP

from .client import JotpadClient

mcp = FastMCP("notes-sync")
_client: JotpadClient | None = None


def client() -> JotpadClient:
    global _client
    if _client is None:
        _client = JotpadClient.from_env()
    return _client


@mcp.tool()
def search_notes(query: str, limit: int = 20) -> str:
    """Search notes by text; returns id and title of each match."""
    notes = client().search(query, limit)
    return "\n".join(f"{n.id}  {n.title}  [{', '.join(n.tags)}]" for n in notes) or "no notes found"


@mcp.tool()
def read_note(note_id: str) -> str:
    """Return the full Markdown body of a note."""
    n = client().get(note_id)
    return f"# {n.title}\n\n{n.body}"


@mcp.tool()
def create_note(title: str, body: str, tags: list[str] | None = None) -> str:
    """Create a new note."""
    n = client().create(title, body, tags or [])
    return f"created {n.id}"


@mcp.tool()
def append_to_note(note_id: str, text: str) -> str:
    """Append a paragraph to an existing note."""
    client().append(note_id, text)
    return "ok"


def main() -> None:
    mcp.run()


if __name__ == "__main__":
    main()
