import os
from dataclasses import dataclass, field


@dataclass(frozen=True)
class MailConfig:
    imap_host: str = field(default_factory=lambda: os.environ.get("MAIL_IMAP_HOST", "imap.mail.example.com"))
    imap_port: int = int(os.environ.get("MAIL_IMAP_PORT", "993"))
    smtp_host: str = field(default_factory=lambda: os.environ.get("MAIL_SMTP_HOST", "smtp.mail.example.com"))
    smtp_port: int = int(os.environ.get("MAIL_SMTP_PORT", "587"))
    user: str = os.environ.get("MAIL_USER", "")
    password: str = os.environ.get("MAIL_PASSWORD", "")


CONFIG = MailConfig()
