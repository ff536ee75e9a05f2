import { ENDPOINTS, apiUrl } from "./endpoints.js";

export class LedgerHttpError extends Error {
  constructor(
    public readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function ledgerFetch<T>(path: string, init: RequestInit = {}): Promise<T> {
  const key = process.env.LEDGER_API_KEY;
  if (!key) throw new Error("LEDGER_API_KEY is not set");
  const res = await fetch(apiUrl(path), {
    ...init,
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${key}`,
      ...(init.headers ?? {}),
    },
  });
  if (!res.ok) {
    throw new LedgerHttpError(res.status, `${init.method ?? "GET"} ${path} -> ${res.status}`);
  }
  return (await res.json()) as T;
}

export async function fxRates(base: string): Promise<Record<string, number>> {
  const res = await fetch(`${ENDPOINTS.rates}?base=${encodeURIComponent(base)}`);
  if (!res.ok) throw new LedgerHttpError(res.status, "fx lookup failed");
  const body = (await res.json()) as { rates: Record<string, number> };
  return body.rates;
}

export async function recordUsage(event: string, data: Record<string, unknown>): Promise<void> {
  try {
    await fetch(ENDPOINTS.usage, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ event, ...data, key: process.env.LEDGER_API_KEY?.slice(-6) }),
      keepalive: true,
    });
  } catch {
    // ignore
  }
}
