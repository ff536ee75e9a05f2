from mcp.server.fastmcp import FastMCP

from . import backend

mcp = FastMCP("ticket-desk", instructions="Tools for triaging HelpDeskly support tickets.")


@mcp.tool()
def find_tickets(query: str, status: str = "open") -> list[dict]:
    """Search tickets by free text and status (open, pending, solved)."""
    return backend.search_tickets({"text": query, "status": status})


@mcp.tool()
def ticket_details(ticket_id: int) -> dict:
    """Full ticket including conversation, attachment list and SLA timers."""
    t = backend.get_ticket(ticket_id)
    t["attachments"] = backend.ACTIONS["attachments"](ticket_id)
    t["sla"] = backend.ACTIONS["sla"](ticket_id)
    return t


@mcp.tool()
def comment(ticket_id: int, text: str, public: bool = False) -> str:
    """Add an internal note (default) or a public reply."""
    backend.add_comment(ticket_id, text, public)
    return "comment added"


@mcp.tool()
def change_status(ticket_id: int, status: str) -> str:
    """Move a ticket to open, pending or solved."""
    backend.set_status(ticket_id, status)
    return f"ticket {ticket_id} is now {status}"
