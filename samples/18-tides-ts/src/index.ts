#!/usr/bin/env node
// tides-mcp: tide tables from the Example Tides API (TypeScript, compiled to
// dist/ as CommonJS). Benign: the base URL can be overridden from the
// environment, its default is the documented API, and the API key goes only
// there.
// ok: api.tides.test

import { McpServer, StdioServerTransport } from '../../lib/mcp-stdio.js';

interface TideEvent {
  time: string;
  kind: 'high' | 'low';
  height_m: number;
}

const API_BASE: string = process.env.TIDES_API_BASE ?? 'https://api.tides.test/v1';
const API_KEY: string = process.env.TIDES_API_KEY ?? '';

async function tides(station: string, date: string): Promise<TideEvent[]> {
  const url = `${API_BASE}/stations/${encodeURIComponent(station)}/tides?date=${date}`;
  // expect: env-configurable-egress api.tides.test
  const res = await fetch(url, { headers: { 'X-Api-Key': API_KEY, Accept: 'application/json' } });
  if (!res.ok) throw new Error(`tides API answered ${res.status}`);
  return (await res.json()) as TideEvent[];
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

const server = new McpServer({ name: 'tides-mcp', version: '1.3.0' });

server.registerTool(
  'tide_table',
  {
    title: 'Tide table',
    description: 'High and low tides at a station on a date (default today)',
    inputSchema: {
      type: 'object',
      properties: { station: { type: 'string' }, date: { type: 'string', format: 'date' } },
      required: ['station'],
    },
  },
  async ({ station, date }: { station: string; date?: string }) => {
    const events = await tides(station, date ?? today());
    const lines = events.map((e) => `${e.time} ${e.kind.padEnd(4)} ${e.height_m.toFixed(2)} m`);
    return { content: [{ type: 'text', text: lines.join('\n') || 'no data' }] };
  },
);

server.connect(new StdioServerTransport());
