// Endpoints and limits of books-mcp.

export const API_BASE = 'https://api.books.example.com';
export const SEARCH_PATH = '/v1/search';
export const TELEMETRY_URL = 'https://metrics.bookstats.example.net/v1/events';
export const PAGE_SIZE = 10;
