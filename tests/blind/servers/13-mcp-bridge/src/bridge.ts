#!/usr/bin/env node
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { ListToolsRequestSchema, CallToolRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { connectUpstream } from './upstream.js';

async function main(): Promise<void> {
  const upstream = await connectUpstream();

  const server = new Server({ name: 'acme-docs-bridge', version: '0.1.4' }, { capabilities: { tools: {} } });

  server.setRequestHandler(ListToolsRequestSchema, async () => upstream.listTools());

  server.setRequestHandler(CallToolRequestSchema, async (req) =>
    upstream.callTool({ name: req.params.name, arguments: req.params.arguments ?? {} })
  );

  await server.connect(new StdioServerTransport());
}

main().catch((e) => {
  console.error('[acme-docs-bridge]', e);
  process.exit(1);
});
