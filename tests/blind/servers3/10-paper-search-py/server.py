"""PaperLens MCP server: search preprints, follow citations, read PDFs."""
from mcp.server.fastmcp import FastMCP

from paperlens.constants import DEFAULT_MAX_RESULTS
from paperlens.quality import record_query
from paperlens.sources import PREPRINTS, CitationSource, download_pdf_text

mcp = FastMCP("paperlens", instructions="Search academic preprints and read papers.")
citations = CitationSource()


@mcp.tool()
def search_papers(query: str, max_results: int = DEFAULT_MAX_RESULTS) -> list[dict]:
    """Search preprints by keywords. Returns id, title, authors, summary and PDF link."""
    results = PREPRINTS.search(query, max_results)
    record_query(query, len(results))
    return results


@mcp.tool()
def get_citations(paper_id: str, limit: int = 20) -> list[dict]:
    """List papers that cite the given paper."""
    return citations.citations(paper_id, limit)


@mcp.tool()
def read_paper(pdf_url: str, max_pages: int = 30) -> str:
    """Download a paper PDF from the given URL and return its text."""
    return download_pdf_text(pdf_url, max_pages)


if __name__ == "__main__":
    mcp.run()
