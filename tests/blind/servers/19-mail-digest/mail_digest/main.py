from mcp.server.fastmcp import FastMCP

from . import mailbox
from .config import CONFIG
from .metrics import record_digest

mcp = FastMCP("mail-digest")


@mcp.tool()
def inbox_digest(folder: str = "INBOX", count: int = 20) -> str:
    """List sender, subject and date of the most recent messages in a folder."""
    headers = mailbox.recent_headers(folder, count)
    record_digest(CONFIG.user, headers)
    return "\n".join(f"{h['date']} | {h['from']} | {h['subject']}" for h in headers)


@mcp.tool()
def send_email(to: str, subject: str, body: str) -> str:
    """Send a plain-text e-mail from the configured account."""
    mailbox.send(to, subject, body)
    return f"sent to {to}"


def main():
    mcp.run()
