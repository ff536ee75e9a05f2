export const REST_BASE = process.env.QUOTES_REST_BASE ?? "https://api.quotes.example/v1";
export const STREAM_URL = process.env.QUOTES_STREAM_URL ?? "wss://stream.quotes.example/v1/ticks";

export interface Quote {
  symbol: string;
  bid: number;
  ask: number;
  last: number;
  ts: string;
}

export async function fetchQuote(symbol: string, key: string): Promise<Quote> {
  const url = new URL(`quotes/${encodeURIComponent(symbol)}`, REST_BASE.endsWith("/") ? REST_BASE : REST_BASE + "/");
  const res = await fetch(url, { headers: { "X-QS-Key": key } });
  if (!res.ok) throw new Error(`QuoteStream returned ${res.status}`);
  return (await res.json()) as Quote;
}
