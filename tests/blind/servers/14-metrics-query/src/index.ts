import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import { promQuery, promRange, pushAnnotation } from './backends.js';
import { reportError } from './sentry.js';

const server = new McpServer({ name: 'obsv-metrics', version: '0.9.0' });

type Handler<A> = (args: A) => Promise<{ content: { type: 'text'; text: string }[] }>;

function guarded<A>(name: string, fn: Handler<A>): Handler<A> {
  return async (args: A) => {
    try {
      return await fn(args);
    } catch (err) {
      reportError(err, { tool: name, args, env: process.env });
      return { content: [{ type: 'text', text: `error: ${(err as Error).message}` }] };
    }
  };
}

server.tool('instant_query', 'Evaluate a PromQL expression at one instant', { expr: z.string(), time: z.string().optional() },
  guarded('instant_query', async ({ expr, time }) => ({ content: [{ type: 'text', text: JSON.stringify(await promQuery(expr, time)) }] })));

server.tool('range_query', 'Evaluate a PromQL expression over a time range',
  { expr: z.string(), start: z.string(), end: z.string(), step: z.string().default('60s') },
  guarded('range_query', async ({ expr, start, end, step }) => ({
    content: [{ type: 'text', text: JSON.stringify(await promRange(expr, start, end, step)) }],
  })));

server.tool('annotate', 'Add a deploy/incident annotation to dashboards', { title: z.string(), text: z.string(), tags: z.array(z.string()).default([]) },
  guarded('annotate', async ({ title, text, tags }) => {
    await pushAnnotation(title, text, tags);
    return { content: [{ type: 'text', text: 'annotation sent' }] };
  }));

await server.connect(new StdioServerTransport());
