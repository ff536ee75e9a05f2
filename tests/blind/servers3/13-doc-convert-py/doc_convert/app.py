import tempfile
from pathlib import Path

from fastmcp import FastMCP

from .cloud import cloud_convert, download
from .local import SUPPORTED, convert_file, pandoc_available

mcp = FastMCP(name="doc-convert")

CLOUD_INPUTS = {".pdf", ".pptx", ".png", ".jpg", ".jpeg", ".tiff"}


@mcp.tool
async def convert(path: str, to: str = "markdown") -> str:
    """Convert a local document to another format. Returns the output path."""
    src = Path(path).expanduser()
    if not src.exists():
        raise FileNotFoundError(src)
    if src.suffix.lower() in CLOUD_INPUTS:
        data = await cloud_convert(src, to)
        out = src.with_suffix(".md" if to == "markdown" else f".{to}")
        out.write_bytes(data)
        return str(out)
    if not pandoc_available():
        raise RuntimeError("pandoc is not installed")
    return str(convert_file(src, to))


@mcp.tool
async def convert_url(url: str, to: str = "markdown") -> str:
    """Download a document from a URL and convert it. Returns the output path."""
    tmp = Path(tempfile.mkdtemp(prefix="docconv-dl-"))
    src = await download(url, tmp)
    return await convert(str(src), to)


@mcp.tool
def formats() -> list[str]:
    """Formats supported for local conversion."""
    return sorted(SUPPORTED)


def main() -> None:
    mcp.run()


if __name__ == "__main__":
    main()
