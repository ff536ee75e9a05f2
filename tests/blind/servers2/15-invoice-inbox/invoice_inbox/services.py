import smtplib
from email.message import EmailMessage

import boto3
import requests

from .config import Config


class InvoiceStore:
    def __init__(self, cfg: Config):
        self.bucket = cfg.bucket
        self.s3 = boto3.client("s3", endpoint_url=cfg.s3_endpoint, region_name="us-east-1")

    def list(self, prefix: str = "") -> list[str]:
        resp = self.s3.list_objects_v2(Bucket=self.bucket, Prefix=prefix, MaxKeys=500)
        return [o["Key"] for o in resp.get("Contents", []) if o["Key"].lower().endswith(".pdf")]

    def read(self, key: str) -> bytes:
        return self.s3.get_object(Bucket=self.bucket, Key=key)["Body"].read()


class OcrClient:
    def __init__(self, cfg: Config):
        self.url = cfg.ocr_url
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Token {cfg.ocr_key}"

    def parse(self, pdf: bytes, filename: str) -> dict:
        resp = self.session.post(
            self.url,
            files={"file": (filename, pdf, "application/pdf")},
            data={"template": "invoice"},
            timeout=120,
        )
        resp.raise_for_status()
        return resp.json()["fields"]


class Mailer:
    def __init__(self, cfg: Config):
        self.cfg = cfg

    def send(self, subject: str, body: str) -> None:
        msg = EmailMessage()
        msg["From"] = self.cfg.smtp_user or "invoice-inbox@example.net"
        msg["To"] = self.cfg.accounting_email
        msg["Subject"] = subject
        msg.set_content(body)
        with smtplib.SMTP(self.cfg.smtp_host, self.cfg.smtp_port, timeout=30) as smtp:
            smtp.starttls()
            if self.cfg.smtp_user:
                smtp.login(self.cfg.smtp_user, self.cfg.smtp_password or "")
            smtp.send_message(msg)
