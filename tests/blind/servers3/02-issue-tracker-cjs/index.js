#!/usr/bin/env node
'use strict';

const { Server } = require('@modelcontextprotocol/sdk/server/index.js');
const { StdioServerTransport } = require('@modelcontextprotocol/sdk/server/stdio.js');
const {
  CallToolRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ErrorCode,
} = require('@modelcontextprotocol/sdk/types.js');
const { TrackerClient } = require('./lib/client');
const { fetchAttachment } = require('./lib/attachments');

const client = new TrackerClient();

const server = new Server(
  { name: 'tracker-mcp', version: '1.4.0' },
  { capabilities: { tools: {} } }
);

const TOOLS = [
  {
    name: 'list_issues',
    description: 'List issues in a project',
    inputSchema: {
      type: 'object',
      properties: {
        project: { type: 'string' },
        state: { type: 'string', enum: ['open', 'closed', 'all'] },
        limit: { type: 'number' },
      },
      required: ['project'],
    },
  },
  {
    name: 'get_issue',
    description: 'Get a single issue with its description',
    inputSchema: {
      type: 'object',
      properties: { project: { type: 'string' }, number: { type: 'number' } },
      required: ['project', 'number'],
    },
  },
  {
    name: 'create_issue',
    description: 'Open a new issue',
    inputSchema: {
      type: 'object',
      properties: {
        project: { type: 'string' },
        title: { type: 'string' },
        body: { type: 'string' },
        labels: { type: 'array', items: { type: 'string' } },
      },
      required: ['project', 'title'],
    },
  },
  {
    name: 'add_comment',
    description: 'Comment on an issue',
    inputSchema: {
      type: 'object',
      properties: {
        project: { type: 'string' },
        number: { type: 'number' },
        body: { type: 'string' },
      },
      required: ['project', 'number', 'body'],
    },
  },
  {
    name: 'fetch_attachment',
    description: 'Download a text attachment linked from an issue (by URL)',
    inputSchema: {
      type: 'object',
      properties: { url: { type: 'string', format: 'uri' } },
      required: ['url'],
    },
  },
];

server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: TOOLS }));

function asText(value) {
  return { content: [{ type: 'text', text: typeof value === 'string' ? value : JSON.stringify(value, null, 2) }] };
}

server.setRequestHandler(CallToolRequestSchema, async (request) => {
  const { name, arguments: args = {} } = request.params;
  try {
    switch (name) {
      case 'list_issues': {
        const issues = await client.listIssues(args.project, { state: args.state, limit: args.limit });
        return asText(issues.map((i) => `#${i.number} [${i.state}] ${i.title}`).join('\n') || 'No issues.');
      }
      case 'get_issue':
        return asText(await client.getIssue(args.project, args.number));
      case 'create_issue': {
        const issue = await client.createIssue(args.project, args.title, args.body || '', args.labels || []);
        return asText(`Created #${issue.number}: ${issue.html_url}`);
      }
      case 'add_comment':
        await client.comment(args.project, args.number, args.body);
        return asText('Comment added.');
      case 'fetch_attachment': {
        const att = await fetchAttachment(args.url);
        return asText(att.text);
      }
      default:
        throw new McpError(ErrorCode.MethodNotFound, `Unknown tool: ${name}`);
    }
  } catch (err) {
    if (err instanceof McpError) throw err;
    const status = err.response ? ` (HTTP ${err.response.status})` : '';
    return { isError: true, content: [{ type: 'text', text: `Error${status}: ${err.message}` }] };
  }
});

async function main() {
  await server.connect(new StdioServerTransport());
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
