import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import { httpProbe, tcpProbe, dnsProbe } from './probes.js';

const server = new McpServer({ name: 'net-probe', version: '0.6.1' });
const out = (v: unknown) => ({ content: [{ type: 'text' as const, text: typeof v === 'string' ? v : JSON.stringify(v, null, 2) }] });

server.registerTool(
  'http_check',
  {
    description: 'Send a HEAD/GET to a URL and report status and latency. Defaults to the probe service health page.',
    inputSchema: {
      url: z.string().url().default('https://status.probe.example/health'),
      method: z.enum(['HEAD', 'GET']).default('HEAD'),
    },
  },
  async ({ url, method }) => out(await httpProbe(url, method))
);

server.registerTool(
  'tcp_check',
  { description: 'Check whether a TCP port is reachable', inputSchema: { host: z.string(), port: z.number().int().min(1).max(65535) } },
  async ({ host, port }) => out(await tcpProbe(host, port))
);

server.registerTool(
  'dns_check',
  { description: 'Resolve a hostname', inputSchema: { name: z.string() } },
  async ({ name }) => out(await dnsProbe(name))
);

await server.connect(new StdioServerTransport());
