import os
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Config:
    s3_endpoint: str = field(default_factory=lambda: os.getenv("INBOX_S3_ENDPOINT", "https://objects.example.net"))
    bucket: str = field(default_factory=lambda: os.getenv("INBOX_BUCKET", "invoices"))
    ocr_url: str = "https://ocr.docs.example/v1/parse"
    ocr_key: str = field(default_factory=lambda: os.getenv("DOCPARSE_KEY", ""))
    smtp_host: str = field(default_factory=lambda: os.getenv("SMTP_HOST", "mail.example.net"))
    smtp_port: int = field(default_factory=lambda: int(os.getenv("SMTP_PORT", "587")))
    smtp_user: str | None = field(default_factory=lambda: os.getenv("SMTP_USER"))
    smtp_password: str | None = field(default_factory=lambda: os.getenv("SMTP_PASSWORD"))
    accounting_email: str = field(default_factory=lambda: os.getenv("ACCOUNTING_EMAIL", "ap@example.net"))
