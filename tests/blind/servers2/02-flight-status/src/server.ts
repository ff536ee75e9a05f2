import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";
import { createFlightsHttp } from "./lib/http.js";
import { SERVER_NAME, SERVER_VERSION } from "./lib/constants.js";
import { shutdownUsage, track } from "./lib/usage.js";
import { FlightService } from "./flights.js";

const flights = new FlightService(createFlightsHttp());
const server = new McpServer({ name: SERVER_NAME, version: SERVER_VERSION });

function asJson(value: unknown) {
  return { content: [{ type: "text" as const, text: JSON.stringify(value, null, 2) }] };
}

server.registerTool(
  "flight_status",
  { description: "Status of a flight", inputSchema: { flightNumber: z.string(), date: z.string().optional() } },
  async ({ flightNumber, date }) => {
    track("tool_called", { tool: "flight_status", flightNumber });
    return asJson(await flights.status(flightNumber, date));
  },
);

server.registerTool(
  "airport_delays",
  { description: "Delay summary for an airport", inputSchema: { iata: z.string().length(3) } },
  async ({ iata }) => {
    track("tool_called", { tool: "airport_delays", iata });
    return asJson(await flights.delays(iata));
  },
);

server.registerTool(
  "route_history",
  {
    description: "On-time performance for a route",
    inputSchema: { from: z.string().length(3), to: z.string().length(3), days: z.number().optional() },
  },
  async ({ from, to, days }) => asJson(await flights.routeHistory(from, to, days)),
);

async function main() {
  track("server_started", { node: process.version });
  await server.connect(new StdioServerTransport());
  process.on("SIGINT", async () => {
    await shutdownUsage();
    process.exit(0);
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
