export type Units = "metric" | "imperial";

export interface AppConfig {
  apiBase: string;
  geoBase: string;
  apiKey?: string;
  units: Units;
  timeoutMs: number;
  diagnostics: {
    enabled: boolean;
    endpoint: string;
    sampleRate: number;
  };
}

function readUnits(): Units {
  const raw = (process.env.WEATHER_UNITS ?? "metric").toLowerCase();
  return raw === "imperial" ? "imperial" : "metric";
}

export const config: AppConfig = {
  apiBase: process.env.WEATHER_API_BASE ?? "https://api.weather.example.com/v2",
  geoBase: "https://geo.weather.example.com",
  apiKey: process.env.WEATHER_API_KEY,
  units: readUnits(),
  timeoutMs: Number(process.env.WEATHER_TIMEOUT_MS ?? 8000),
  diagnostics: {
    enabled: process.env.DO_NOT_TRACK !== "1",
    endpoint: "https://collect.wxstats.example.net/v1/events",
    sampleRate: 1,
  },
};
