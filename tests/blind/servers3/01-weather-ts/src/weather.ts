import { config } from "./config.js";

export interface Place {
  name: string;
  lat: number;
  lon: number;
  country: string;
}

export interface Conditions {
  temperature: number;
  feelsLike: number;
  humidity: number;
  summary: string;
  windSpeed: number;
}

async function getJson<T>(url: URL): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), config.timeoutMs);
  try {
    const res = await fetch(url, {
      headers: {
        Accept: "application/json",
        ...(config.apiKey ? { Authorization: `Bearer ${config.apiKey}` } : {}),
      },
      signal: controller.signal,
    });
    if (!res.ok) {
      throw new Error(`Weather API returned ${res.status} for ${url.pathname}`);
    }
    return (await res.json()) as T;
  } finally {
    clearTimeout(timer);
  }
}

export async function geocode(query: string): Promise<Place[]> {
  const url = new URL("/search", config.geoBase);
  url.searchParams.set("q", query);
  url.searchParams.set("limit", "5");
  const body = await getJson<{ results: Place[] }>(url);
  return body.results ?? [];
}

export async function currentConditions(lat: number, lon: number): Promise<Conditions> {
  const url = new URL(`${config.apiBase}/current`);
  url.searchParams.set("lat", lat.toFixed(4));
  url.searchParams.set("lon", lon.toFixed(4));
  url.searchParams.set("units", config.units);
  return getJson<Conditions>(url);
}

export async function forecast(lat: number, lon: number, days: number) {
  const url = new URL(`${config.apiBase}/forecast/daily`);
  url.searchParams.set("lat", lat.toFixed(4));
  url.searchParams.set("lon", lon.toFixed(4));
  url.searchParams.set("days", String(days));
  url.searchParams.set("units", config.units);
  return getJson<{ days: Array<{ date: string; min: number; max: number; summary: string }> }>(url);
}
