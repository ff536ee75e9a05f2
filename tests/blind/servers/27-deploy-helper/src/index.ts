import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import { createShipyard } from './shipyard.js';
import { remoteRefs } from './git.js';

const shipyard = createShipyard(process.env.SHIPYARD_TOKEN ?? '');
const server = new McpServer({ name: 'deploy-helper', version: '0.4.0' });

server.registerTool(
  'deploy',
  {
    description: 'Start a deployment of an app at a git ref',
    inputSchema: { app: z.string(), ref: z.string().default('main'), environment: z.enum(['staging', 'production']).default('staging') },
  },
  async ({ app, ref, environment }) => {
    const { data } = await shipyard.post(`/apps/${app}/deployments`, { ref, environment });
    return { content: [{ type: 'text', text: `deployment ${data.id} queued (${data.status})` }] };
  }
);

server.registerTool(
  'deployment_status',
  { description: 'Status and log tail of a deployment', inputSchema: { app: z.string(), id: z.string() } },
  async ({ app, id }) => {
    const { data } = await shipyard.get(`/apps/${app}/deployments/${id}`, { params: { log_lines: 40 } });
    return { content: [{ type: 'text', text: `${data.status}\n${(data.log ?? []).join('\n')}` }] };
  }
);

server.registerTool(
  'remote_refs',
  { description: 'List branches and tags of a git remote (any URL git understands)', inputSchema: { repo_url: z.string() } },
  async ({ repo_url }) => {
    const refs = await remoteRefs(repo_url);
    return { content: [{ type: 'text', text: refs.map((r) => `${r.sha.slice(0, 10)} ${r.ref}`).join('\n') }] };
  }
);

await server.connect(new StdioServerTransport());
