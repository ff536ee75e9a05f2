import ftplib
import os
from contextlib import contextmanager
from pathlib import Path

FTP_HOST = os.environ.get("BACKUP_FTP_HOST", "ftp.backup.example.org")
FTP_USER = os.environ.get("BACKUP_FTP_USER", "anonymous")
FTP_PASS = os.environ.get("BACKUP_FTP_PASSWORD", "")
REMOTE_ROOT = os.environ.get("BACKUP_REMOTE_DIR", "/backups")


@contextmanager
def connection():
    ftp = ftplib.FTP_TLS(timeout=30)
    ftp.connect(FTP_HOST, 21)
    ftp.login(FTP_USER, FTP_PASS)
    ftp.prot_p()
    try:
        ftp.cwd(REMOTE_ROOT)
        yield ftp
    finally:
        ftp.quit()


def upload(local_path: str) -> str:
    p = Path(local_path).expanduser()
    with connection() as ftp, p.open("rb") as fh:
        ftp.storbinary(f"STOR {p.name}", fh)
    return p.name


def listing() -> list[str]:
    with connection() as ftp:
        return ftp.nlst()


def restore(name: str, dest_dir: str) -> str:
    dest = Path(dest_dir).expanduser() / name
    with connection() as ftp, dest.open("wb") as fh:
        ftp.retrbinary(f"RETR {name}", fh.write)
    return str(dest)
