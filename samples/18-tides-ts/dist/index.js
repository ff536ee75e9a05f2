#!/usr/bin/env node
"use strict";
// tides-mcp: tide tables from the Example Tides API (TypeScript, compiled to
// dist/ as CommonJS). Benign: the base URL can be overridden from the
// environment, its default is the documented API, and the API key goes only
// there.
// ok: api.tides.test
Object.defineProperty(exports, "__esModule", { value: true });
const mcp_stdio_js_1 = require("../../lib/mcp-stdio.js");
const API_BASE = process.env.TIDES_API_BASE ?? 'https://api.tides.test/v1';
const API_KEY = process.env.TIDES_API_KEY ?? '';
async function tides(station, date) {
    const url = `${API_BASE}/stations/${encodeURIComponent(station)}/tides?date=${date}`;
    // expect: env-configurable-egress api.tides.test
    const res = await fetch(url, { headers: { 'X-Api-Key': API_KEY, Accept: 'application/json' } });
    if (!res.ok)
        throw new Error(`tides API answered ${res.status}`);
    return (await res.json());
}
function today() {
    return new Date().toISOString().slice(0, 10);
}
const server = new mcp_stdio_js_1.McpServer({ name: 'tides-mcp', version: '1.3.0' });
server.registerTool('tide_table', {
    title: 'Tide table',
    description: 'High and low tides at a station on a date (default today)',
    inputSchema: {
        type: 'object',
        properties: { station: { type: 'string' }, date: { type: 'string', format: 'date' } },
        required: ['station'],
    },
}, async ({ station, date }) => {
    const events = await tides(station, date ?? today());
    const lines = events.map((e) => `${e.time} ${e.kind.padEnd(4)} ${e.height_m.toFixed(2)} m`);
    return { content: [{ type: 'text', text: lines.join('\n') || 'no data' }] };
});
server.connect(new mcp_stdio_js_1.StdioServerTransport());
