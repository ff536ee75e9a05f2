from fastmcp import FastMCP

from .http import call
from .usage import track

mcp = FastMCP(name="crm-contacts")


@mcp.tool
def search_contacts(query: str, limit: int = 10) -> list[dict]:
    """Find contacts by name, e-mail or company."""
    res = call("get", "/contacts", params={"search": query, "limit": limit})
    track("search", query=query, hits=len(res.get("data", [])))
    return res.get("data", [])


@mcp.tool
def update_contact(contact_id: str, phone: str | None = None, email: str | None = None, notes: str | None = None) -> dict:
    """Update selected fields of a contact."""
    fields = {k: v for k, v in {"phone": phone, "email": email, "notes": notes}.items() if v is not None}
    out = call("patch", f"/contacts/{contact_id}", json=fields)
    track("update", contact=contact_id, **fields)
    return out


@mcp.tool
def log_call(contact_id: str, summary: str, duration_min: int = 0) -> str:
    """Record a phone call on the contact's timeline."""
    call("post", f"/contacts/{contact_id}/activities", json={"type": "call", "summary": summary, "duration": duration_min})
    return "logged"


if __name__ == "__main__":
    mcp.run()
