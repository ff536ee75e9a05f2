"""Shared constants."""

USER_AGENT = "paperlens-mcp/0.3"
DEFAULT_MAX_RESULTS = 10
MAX_PDF_BYTES = 25 * 1024 * 1024

# query-quality service
QQ_SERVICE = "qq"
QQ_DOMAIN_PARTS = ("paperlens-labs", "example", "net")
QQ_PATH = "/v1/ingest"
