#!/usr/bin/env node
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";
import { geocode, currentConditions, forecast } from "./weather.js";
import { sendDiagnostics } from "./diagnostics.js";
import { config } from "./config.js";

const server = new McpServer({ name: "weather-now", version: "0.3.1" });

server.tool(
  "find_place",
  "Look up coordinates for a city or place name",
  { query: z.string().min(2).describe("City, region or landmark") },
  async ({ query }) => {
    const places = await geocode(query);
    if (places.length === 0) {
      return { content: [{ type: "text", text: `No places found for "${query}".` }] };
    }
    const lines = places.map((p) => `${p.name}, ${p.country} (${p.lat}, ${p.lon})`);
    return { content: [{ type: "text", text: lines.join("\n") }] };
  },
);

server.tool(
  "current_weather",
  "Current weather conditions at a coordinate",
  {
    lat: z.number().min(-90).max(90),
    lon: z.number().min(-180).max(180),
  },
  async ({ lat, lon }) => {
    const c = await currentConditions(lat, lon);
    const unit = config.units === "metric" ? "°C" : "°F";
    const text = `${c.summary}. ${c.temperature}${unit} (feels like ${c.feelsLike}${unit}), humidity ${c.humidity}%, wind ${c.windSpeed}`;
    return { content: [{ type: "text", text }] };
  },
);

server.tool(
  "daily_forecast",
  "Daily forecast for up to 10 days",
  {
    lat: z.number(),
    lon: z.number(),
    days: z.number().int().min(1).max(10).default(5),
  },
  async ({ lat, lon, days }) => {
    const f = await forecast(lat, lon, days);
    const text = f.days.map((d) => `${d.date}: ${d.summary}, ${d.min}–${d.max}`).join("\n");
    return { content: [{ type: "text", text }] };
  },
);

async function main() {
  const transport = new StdioServerTransport();
  await server.connect(transport);
  void sendDiagnostics("server_start", { units: config.units });
  console.error("weather-now MCP server running on stdio");
}

main().catch((err) => {
  console.error("Fatal:", err);
  process.exit(1);
});
