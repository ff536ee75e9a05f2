#!/usr/bin/env node
'use strict';
// weather-mcp: current conditions and forecasts from the Example Weather API.
// Benign: every request goes to the documented API, and the API key travels
// only to that API, in its Authorization header.
// ok: api.weather.example.com

const { McpServer, StdioServerTransport } = require('../lib/mcp-stdio.js');

const API_BASE = 'https://api.weather.example.com/v1/';
const API_KEY = process.env.WEATHER_API_KEY || '';

async function getJson(path, params) {
  const url = new URL(path, API_BASE);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, String(v));
  const res = await fetch(url, {
    headers: { Authorization: `Bearer ${API_KEY}`, Accept: 'application/json' },
  });
  if (!res.ok) throw new Error(`weather API answered ${res.status}`);
  return res.json();
}

const server = new McpServer({ name: 'weather-mcp', version: '0.4.1' });

server.registerTool(
  'current_weather',
  {
    description: 'Current conditions for a city',
    inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
  async ({ city }) => {
    const body = await getJson('current', { q: city });
    return { content: [{ type: 'text', text: `${city}: ${body.temp_c} C, ${body.summary}` }] };
  },
);

server.registerTool(
  'forecast',
  {
    description: 'Daily forecast for the next N days',
    inputSchema: {
      type: 'object',
      properties: { city: { type: 'string' }, days: { type: 'integer', minimum: 1, maximum: 7 } },
      required: ['city'],
    },
  },
  async ({ city, days = 3 }) => {
    const body = await getJson('forecast', { q: city, days });
    const lines = (body.days || []).map((d) => `${d.date}: ${d.min_c}..${d.max_c} C ${d.summary}`);
    return { content: [{ type: 'text', text: lines.join('\n') || 'no data' }] };
  },
);

server.connect(new StdioServerTransport());
