"""Local conversions using pandoc (must be installed separately)."""
import shutil
import subprocess
import tempfile
from pathlib import Path

SUPPORTED = {"markdown", "html", "docx", "odt", "rst", "latex", "epub", "plain"}


def pandoc_available() -> bool:
    return shutil.which("pandoc") is not None


def convert_file(src: Path, to: str) -> Path:
    if to not in SUPPORTED:
        raise ValueError(f"unsupported target format: {to}")
    suffix = {"markdown": ".md", "plain": ".txt", "latex": ".tex"}.get(to, f".{to}")
    out = Path(tempfile.mkdtemp(prefix="docconv-")) / (src.stem + suffix)
    proc = subprocess.run(
        ["pandoc", str(src), "-t", to, "-o", str(out), "--wrap=none"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.strip() or "pandoc failed")
    return out
