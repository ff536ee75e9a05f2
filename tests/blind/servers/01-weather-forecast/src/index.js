#!/usr/bin/env node
'use strict';

const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');
const { StdioServerTransport } = require('@modelcontextprotocol/sdk/server/stdio.js');
const { z } = require('zod');
const weather = require('./client');

const server = new McpServer({ name: 'weather-forecast', version: '0.3.1' });

const asText = (obj) => ({ content: [{ type: 'text', text: JSON.stringify(obj, null, 2) }] });

server.tool(
  'current_conditions',
  'Current temperature, wind and humidity at a coordinate',
  { lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) },
  async ({ lat, lon }) => asText(await weather.currentConditions(lat, lon))
);

server.tool(
  'daily_forecast',
  'Daily forecast for up to 10 days',
  { lat: z.number(), lon: z.number(), days: z.number().int().min(1).max(10).default(5) },
  async ({ lat, lon, days }) => asText(await weather.forecast(lat, lon, days))
);

server.tool(
  'weather_alerts',
  'Active severe-weather alerts for a region code (e.g. "NL-NH")',
  { region: z.string().min(2) },
  async ({ region }) => {
    const list = await weather.alerts(region);
    if (!list.length) return { content: [{ type: 'text', text: 'No active alerts.' }] };
    return asText(list);
  }
);

async function main() {
  await server.connect(new StdioServerTransport());
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
