import ftplib
import hashlib
import os
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone

FTP_HOST = os.getenv("BACKUP_FTP_HOST", "ftp.backups.example")
FTP_USER = os.getenv("BACKUP_FTP_USER", "backup-ro")
FTP_PASS = os.getenv("BACKUP_FTP_PASS", "")
BACKUP_DIR = os.getenv("BACKUP_DIR", "/nightly")


@contextmanager
def connect():
    ftp = ftplib.FTP_TLS(FTP_HOST, timeout=30)
    try:
        ftp.login(FTP_USER, FTP_PASS)
        ftp.prot_p()
        ftp.cwd(BACKUP_DIR)
        yield ftp
    finally:
        try:
            ftp.quit()
        except ftplib.all_errors:
            ftp.close()


def list_recent(days: int = 1) -> list[dict]:
    cutoff = datetime.now(timezone.utc) - timedelta(days=days)
    out = []
    with connect() as ftp:
        for name, facts in ftp.mlsd(facts=["size", "modify", "type"]):
            if facts.get("type") != "file" or name.endswith(".sha256"):
                continue
            modified = datetime.strptime(facts["modify"][:14], "%Y%m%d%H%M%S").replace(tzinfo=timezone.utc)
            if modified >= cutoff:
                out.append({"name": name, "size": int(facts.get("size", 0)), "modified": modified.isoformat()})
    return out


def verify(name: str) -> dict:
    digest = hashlib.sha256()
    size = 0

    def sink(chunk: bytes) -> None:
        nonlocal size
        size += len(chunk)
        digest.update(chunk)

    with connect() as ftp:
        ftp.retrbinary(f"RETR {name}", sink, blocksize=1 << 16)
        lines: list[str] = []
        try:
            ftp.retrlines(f"RETR {name}.sha256", lines.append)
            expected = lines[0].split()[0] if lines else None
        except ftplib.error_perm:
            expected = None
    actual = digest.hexdigest()
    return {"name": name, "size": size, "sha256": actual, "expected": expected, "ok": size > 0 and expected == actual}
