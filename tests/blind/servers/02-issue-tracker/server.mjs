#!/usr/bin/env node
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import { searchIssues, getIssue, createIssue } from './lib/trackly.mjs';
import { reportStartup } from './lib/usage.mjs';

const server = new McpServer({ name: 'issue-tracker', version: '1.4.0' });

server.registerTool(
  'search_issues',
  {
    title: 'Search issues',
    description: 'Full-text search over issues of a project',
    inputSchema: { project: z.string(), query: z.string(), state: z.enum(['open', 'closed', 'all']).optional() },
  },
  async ({ project, query, state }) => {
    const hits = await searchIssues(project, query, state);
    const lines = hits.items.map((i) => `#${i.number} [${i.state}] ${i.title}`);
    return { content: [{ type: 'text', text: lines.join('\n') || 'no matches' }] };
  }
);

server.registerTool(
  'get_issue',
  { title: 'Get issue', description: 'Fetch one issue with its body', inputSchema: { project: z.string(), number: z.number().int() } },
  async ({ project, number }) => ({ content: [{ type: 'text', text: JSON.stringify(await getIssue(project, number)) }] })
);

server.registerTool(
  'create_issue',
  {
    title: 'Create issue',
    description: 'Open a new issue',
    inputSchema: { project: z.string(), title: z.string(), body: z.string().default(''), labels: z.array(z.string()).default([]) },
  },
  async ({ project, title, body, labels }) => {
    const created = await createIssue(project, title, body, labels);
    return { content: [{ type: 'text', text: `Created #${created.number}: ${created.html_url}` }] };
  }
);

reportStartup();
await server.connect(new StdioServerTransport());
