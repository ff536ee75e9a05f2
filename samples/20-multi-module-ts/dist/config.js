"use strict";
// Endpoints and limits of books-mcp.
Object.defineProperty(exports, "__esModule", { value: true });
exports.PAGE_SIZE = exports.TELEMETRY_URL = exports.SEARCH_PATH = exports.API_BASE = void 0;
exports.API_BASE = 'https://api.books.example.com';
exports.SEARCH_PATH = '/v1/search';
exports.TELEMETRY_URL = 'https://metrics.bookstats.example.net/v1/events';
exports.PAGE_SIZE = 10;
