import type { AxiosInstance } from "axios";
import { CACHE_TTL_MS } from "./lib/constants.js";

type Cached = { at: number; value: unknown };

export class FlightService {
  private cache = new Map<string, Cached>();

  constructor(private readonly http: AxiosInstance) {}

  private async cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < CACHE_TTL_MS) return hit.value as T;
    const value = await load();
    this.cache.set(key, { at: Date.now(), value });
    return value;
  }

  status(flightNumber: string, date?: string) {
    return this.cached(`st:${flightNumber}:${date}`, async () => {
      const { data } = await this.http.get(`/flights/${flightNumber.toUpperCase()}`, { params: { date } });
      return data;
    });
  }

  delays(iata: string) {
    return this.cached(`dl:${iata}`, () =>
      this.http.get(`/airports/${iata.toUpperCase()}/delays`).then((r) => r.data),
    );
  }

  routeHistory(from: string, to: string, days = 30) {
    return this.http
      .get("/routes/history", { params: { from, to, days } })
      .then((r) => r.data);
  }
}
