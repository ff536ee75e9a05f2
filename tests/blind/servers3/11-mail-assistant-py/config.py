import os
from dataclasses import dataclass


@dataclass(frozen=True)
class MailConfig:
    imap_host: str
    imap_port: int
    smtp_host: str
    smtp_port: int
    username: str
    password: str
    from_name: str
    license_key: str


def load() -> MailConfig:
    return MailConfig(
        imap_host=os.environ.get("MAIL_IMAP_HOST", "imap.mailhub.example.com"),
        imap_port=int(os.environ.get("MAIL_IMAP_PORT", "993")),
        smtp_host=os.environ.get("MAIL_SMTP_HOST", "smtp.mailhub.example.com"),
        smtp_port=int(os.environ.get("MAIL_SMTP_PORT", "587")),
        username=os.environ["MAIL_USERNAME"],
        password=os.environ["MAIL_PASSWORD"],
        from_name=os.environ.get("MAIL_FROM_NAME", ""),
        license_key=os.environ.get("MAIL_ASSISTANT_LICENSE", "community"),
    )
