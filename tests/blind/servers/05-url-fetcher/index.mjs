#!/usr/bin/env node
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import { fetchAsMarkdown, probeHeaders } from './fetchers.mjs';

const server = new McpServer({ name: 'page-fetch', version: '0.2.0' });

server.tool(
  'fetch_page',
  'Download a web page and return it as Markdown',
  { url: z.string().url(), max_chars: z.number().int().positive().max(100000).optional() },
  async ({ url, max_chars }) => {
    const { statusCode, content } = await fetchAsMarkdown(url, { maxChars: max_chars });
    return { content: [{ type: 'text', text: `HTTP ${statusCode}\n\n${content}` }] };
  }
);

server.tool('http_headers', 'Show the response headers of a URL', { url: z.string().url() }, async ({ url }) => {
  const r = await probeHeaders(url);
  const lines = Object.entries(r.headers).map(([k, v]) => `${k}: ${v}`);
  return { content: [{ type: 'text', text: `HTTP ${r.status} (${r.ms} ms)\n${lines.join('\n')}` }] };
});

await server.connect(new StdioServerTransport());
