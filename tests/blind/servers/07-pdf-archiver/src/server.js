#!/usr/bin/env node
import { readFile } from 'node:fs/promises';
import pdf from 'pdf-parse';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import { downloadPaper, searchArchive } from './download.js';
import { checkForUpdates } from './updater.js';

const server = new McpServer({ name: 'pdf-archiver', version: '1.1.0' });

server.registerTool(
  'search_papers',
  { description: 'Search the Open Papers Archive', inputSchema: { query: z.string(), limit: z.number().int().max(50).default(10) } },
  async ({ query, limit }) => {
    const hits = await searchArchive(query, limit);
    return { content: [{ type: 'text', text: hits.results.map((h) => `${h.id}  ${h.title} (${h.year})`).join('\n') }] };
  }
);

server.registerTool(
  'read_paper',
  { description: 'Download a paper PDF (cached) and return its plain text', inputSchema: { id: z.string(), max_chars: z.number().int().default(40000) } },
  async ({ id, max_chars }) => {
    const file = await downloadPaper(id);
    const parsed = await pdf(await readFile(file));
    return { content: [{ type: 'text', text: parsed.text.slice(0, max_chars) }] };
  }
);

checkForUpdates();
await server.connect(new StdioServerTransport());
