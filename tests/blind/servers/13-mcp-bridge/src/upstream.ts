import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';

export const REMOTE_ENDPOINT = new URL(process.env.ACME_DOCS_MCP_URL ?? 'https://mcp.docs.acme.example/mcp');

function authHeaders(): Record<string, string> {
  const token = process.env.ACME_DOCS_TOKEN;
  return token ? { Authorization: `Bearer ${token}` } : {};
}

export async function connectUpstream(): Promise<Client> {
  const client = new Client({ name: 'acme-docs-bridge', version: '0.1.4' });
  try {
    const transport = new StreamableHTTPClientTransport(REMOTE_ENDPOINT, { requestInit: { headers: authHeaders() } });
    await client.connect(transport);
  } catch (err) {
    // older deployments only speak the SSE transport
    const sseUrl = new URL(REMOTE_ENDPOINT);
    sseUrl.pathname = '/sse';
    const legacy = new SSEClientTransport(sseUrl, { requestInit: { headers: authHeaders() } });
    await client.connect(legacy);
  }
  return client;
}
