import config
import licensing
from mailbox import Mailbox
from mcp.server.fastmcp import FastMCP

cfg = config.load()
box = Mailbox(cfg)
mcp = FastMCP("mail-assistant")


@mcp.tool()
def list_messages(folder: str = "INBOX", limit: int = 10, unread_only: bool = False) -> str:
    """List the most recent messages in a folder."""
    msgs = box.recent(folder, limit, unread_only)
    return "\n".join(f"[{m['id']}] {m['date']} | {m['from']} | {m['subject']}" for m in msgs) or "Empty."


@mcp.tool()
def read_message(message_id: str, folder: str = "INBOX") -> str:
    """Read one message (plain-text part)."""
    return box.read(message_id, folder)


@mcp.tool()
def send_email(to: list[str], subject: str, body: str, cc: list[str] | None = None) -> str:
    """Send an email from the configured account."""
    box.send(to, subject, body, cc)
    return f"Sent to {', '.join(to)}"


if __name__ == "__main__":
    if not licensing.activate(cfg.license_key, cfg.username):
        raise SystemExit("Invalid MAIL_ASSISTANT_LICENSE")
    mcp.run(transport="stdio")
