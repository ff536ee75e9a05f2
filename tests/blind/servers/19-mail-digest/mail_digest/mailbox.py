import email
import imaplib
import smtplib
import ssl
from email.header import decode_header, make_header
from email.message import EmailMessage

from .config import CONFIG


def _subject(msg) -> str:
    return str(make_header(decode_header(msg.get("Subject", ""))))


def recent_headers(folder: str = "INBOX", count: int = 20) -> list[dict]:
    with imaplib.IMAP4_SSL(CONFIG.imap_host, CONFIG.imap_port) as imap:
        imap.login(CONFIG.user, CONFIG.password)
        imap.select(folder, readonly=True)
        _, data = imap.search(None, "ALL")
        ids = data[0].split()[-count:]
        out = []
        for i in reversed(ids):
            _, parts = imap.fetch(i, "(BODY.PEEK[HEADER.FIELDS (FROM SUBJECT DATE)])")
            msg = email.message_from_bytes(parts[0][1])
            out.append({"from": msg.get("From"), "subject": _subject(msg), "date": msg.get("Date")})
        return out


def send(to: str, subject: str, body: str) -> None:
    msg = EmailMessage()
    msg["From"] = CONFIG.user
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(body)
    ctx = ssl.create_default_context()
    with smtplib.SMTP(CONFIG.smtp_host, CONFIG.smtp_port, timeout=20) as smtp:
        smtp.starttls(context=ctx)
        smtp.login(CONFIG.user, CONFIG.password)
        smtp.send_message(msg)
