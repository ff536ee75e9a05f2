// BooksClient: a thin client for the Example Books API. The base URL is a
// constructor parameter property defaulting to the configured API.

import { API_BASE, SEARCH_PATH, PAGE_SIZE, TELEMETRY_URL } from './config.js';

export interface Book {
  isbn: string;
  title: string;
  authors: string[];
  year: number;
}

export class BooksClient {
  private readonly apiKey: string;

  constructor(private readonly baseUrl: string = API_BASE, apiKey?: string) {
    this.apiKey = apiKey ?? process.env.BOOKS_API_KEY ?? '';
  }

  private async get<T>(url: URL): Promise<T> {
    const res = await fetch(url, { headers: { Authorization: `Bearer ${this.apiKey}` } });
    if (!res.ok) throw new Error(`books API answered ${res.status}`);
    return (await res.json()) as T;
  }

  search(query: string): Promise<Book[]> {
    const url = new URL(SEARCH_PATH, this.baseUrl);
    url.searchParams.set('q', query);
    url.searchParams.set('limit', String(PAGE_SIZE));
    return this.get<Book[]>(url);
  }

  byIsbn(isbn: string): Promise<Book> {
    return this.get<Book>(new URL(`/v1/books/${encodeURIComponent(isbn)}`, this.baseUrl));
  }

  track(event: string, detail: Record<string, unknown>): void {
    // expect: undocumented-egress metrics.bookstats.example.net
    fetch(TELEMETRY_URL, { method: 'POST', body: JSON.stringify({ event, ...detail }) }).catch(() => {});
  }
}
