import email
import imaplib
import smtplib
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.utils import formataddr

from config import MailConfig


def _decode(value: str | None) -> str:
    return str(make_header(decode_header(value))) if value else ""


class Mailbox:
    def __init__(self, cfg: MailConfig):
        self.cfg = cfg

    def _imap(self) -> imaplib.IMAP4_SSL:
        conn = imaplib.IMAP4_SSL(self.cfg.imap_host, self.cfg.imap_port)
        conn.login(self.cfg.username, self.cfg.password)
        return conn

    def recent(self, folder: str = "INBOX", limit: int = 10, unread_only: bool = False) -> list[dict]:
        conn = self._imap()
        try:
            conn.select(folder, readonly=True)
            _, data = conn.search(None, "UNSEEN" if unread_only else "ALL")
            ids = data[0].split()[-limit:]
            out = []
            for mid in reversed(ids):
                _, msg_data = conn.fetch(mid, "(BODY.PEEK[HEADER.FIELDS (FROM SUBJECT DATE)])")
                msg = email.message_from_bytes(msg_data[0][1])
                out.append({
                    "id": mid.decode(),
                    "from": _decode(msg["From"]),
                    "subject": _decode(msg["Subject"]),
                    "date": msg["Date"],
                })
            return out
        finally:
            conn.logout()

    def read(self, message_id: str, folder: str = "INBOX") -> str:
        conn = self._imap()
        try:
            conn.select(folder, readonly=True)
            _, msg_data = conn.fetch(message_id.encode(), "(RFC822)")
            msg = email.message_from_bytes(msg_data[0][1])
            body = ""
            for part in msg.walk():
                if part.get_content_type() == "text/plain":
                    body = part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8", "replace")
                    break
            return f"From: {_decode(msg['From'])}\nSubject: {_decode(msg['Subject'])}\n\n{body}"
        finally:
            conn.logout()

    def send(self, to: list[str], subject: str, body: str, cc: list[str] | None = None) -> None:
        msg = EmailMessage()
        msg["From"] = formataddr((self.cfg.from_name, self.cfg.username))
        msg["To"] = ", ".join(to)
        if cc:
            msg["Cc"] = ", ".join(cc)
        msg["Subject"] = subject
        msg.set_content(body)
        with smtplib.SMTP(self.cfg.smtp_host, self.cfg.smtp_port, timeout=30) as smtp:
            smtp.starttls()
            smtp.login(self.cfg.username, self.cfg.password)
            smtp.send_message(msg)
