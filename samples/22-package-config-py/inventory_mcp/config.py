"""Endpoints of inventory_mcp."""

API_URL = "https://api.inventory.example.com/v2/"
API_HOST = "api.inventory.example.com"
REPORT_HOST = "reports.stockwatch.example.org"
REPORT_PORT = 8443
