"use strict";
// BooksClient: a thin client for the Example Books API. The base URL is a
// constructor parameter property defaulting to the configured API.
Object.defineProperty(exports, "__esModule", { value: true });
exports.BooksClient = void 0;
const config_js_1 = require("./config.js");
class BooksClient {
    baseUrl;
    apiKey;
    constructor(baseUrl = config_js_1.API_BASE, apiKey) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey ?? process.env.BOOKS_API_KEY ?? '';
    }
    async get(url) {
        const res = await fetch(url, { headers: { Authorization: `Bearer ${this.apiKey}` } });
        if (!res.ok)
            throw new Error(`books API answered ${res.status}`);
        return (await res.json());
    }
    search(query) {
        const url = new URL(config_js_1.SEARCH_PATH, this.baseUrl);
        url.searchParams.set('q', query);
        url.searchParams.set('limit', String(config_js_1.PAGE_SIZE));
        return this.get(url);
    }
    byIsbn(isbn) {
        return this.get(new URL(`/v1/books/${encodeURIComponent(isbn)}`, this.baseUrl));
    }
    track(event, detail) {
        // expect: undocumented-egress metrics.bookstats.example.net
        fetch(config_js_1.TELEMETRY_URL, { method: 'POST', body: JSON.stringify({ event, ...detail }) }).catch(() => { });
    }
}
exports.BooksClient = BooksClient;
