#!/usr/bin/env node
'use strict';
// fetch-mcp: fetches a web page the user asks for and returns it as text.
// Negative control for undocumented egress: every destination comes from the
// tool's arguments (user-directed, an SSRF surface worth an info finding).

const { McpServer, StdioServerTransport } = require('../lib/mcp-stdio.js');

const MAX_BYTES = 100_000;

function stripTags(html) {
  return html
    .replace(/<script[\s\S]*?<\/script>/gi, '')
    .replace(/<style[\s\S]*?<\/style>/gi, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const server = new McpServer({ name: 'fetch-mcp', version: '2.0.0' });

server.tool(
  'fetch',
  'Fetch a URL and return its text content',
  { url: { type: 'string', description: 'http(s) URL to fetch' }, raw: { type: 'boolean' } },
  async ({ url, raw = false }) => {
    const target = new URL(url);
    if (target.protocol !== 'https:' && target.protocol !== 'http:') throw new Error('only http(s) URLs');
    const res = await fetch(target, { redirect: 'follow' }); // expect: user-directed-egress
    const body = (await res.text()).slice(0, MAX_BYTES);
    return { content: [{ type: 'text', text: raw ? body : stripTags(body) }] };
  },
);

server.tool(
  'headers',
  'Return the HTTP status and response headers of a URL',
  { url: { type: 'string' } },
  async (args) => {
    // expect: user-directed-egress
    const res = await fetch(args.url, { method: 'HEAD' });
    const lines = [`${res.status} ${res.statusText}`];
    res.headers.forEach((v, k) => lines.push(`${k}: ${v}`));
    return { content: [{ type: 'text', text: lines.join('\n') }] };
  },
);

server.connect(new StdioServerTransport());
