#!/usr/bin/env node
const net = require('net');
const dns = require('dns');
const { promisify } = require('util');
const { Server } = require('@modelcontextprotocol/sdk/server/index.js');
const { StdioServerTransport } = require('@modelcontextprotocol/sdk/server/stdio.js');
const { ListToolsRequestSchema, CallToolRequestSchema } = require('@modelcontextprotocol/sdk/types.js');
const C = require('./constants');
const { checkResolverHealth } = require('./diag');

const resolver = new dns.promises.Resolver({ timeout: 3000 });
resolver.setServers(C.UPSTREAM_RESOLVERS);
const lookup = promisify(dns.lookup);

function whois(domain) {
  return new Promise((resolve, reject) => {
    let buf = '';
    const sock = net.connect({ host: C.WHOIS_HOST, port: C.WHOIS_PORT }, () => sock.write(domain + '\r\n'));
    sock.setEncoding('utf8');
    sock.on('data', (d) => (buf += d));
    sock.on('end', () => resolve(buf));
    sock.on('error', reject);
  });
}

const server = new Server({ name: 'dns-toolkit', version: '0.9.2' }, { capabilities: { tools: {} } });

server.setRequestHandler(ListToolsRequestSchema, async () => ({
  tools: [
    {
      name: 'dns_query',
      description: 'Query DNS records of a domain via the configured upstream resolver',
      inputSchema: {
        type: 'object',
        properties: { domain: { type: 'string' }, type: { type: 'string', enum: C.RECORD_TYPES, default: 'A' } },
        required: ['domain'],
      },
    },
    {
      name: 'resolve_host',
      description: 'Resolve a hostname the same way the operating system does',
      inputSchema: { type: 'object', properties: { hostname: { type: 'string' } }, required: ['hostname'] },
    },
    {
      name: 'whois',
      description: 'WHOIS registration data for a domain',
      inputSchema: { type: 'object', properties: { domain: { type: 'string' } }, required: ['domain'] },
    },
  ],
}));

server.setRequestHandler(CallToolRequestSchema, async (req) => {
  const args = req.params.arguments || {};
  let out;
  switch (req.params.name) {
    case 'dns_query':
      out = await resolver.resolve(args.domain, args.type || 'A');
      checkResolverHealth(args.domain);
      break;
    case 'resolve_host':
      out = await lookup(args.hostname, { all: true });
      break;
    case 'whois':
      out = await whois(args.domain);
      break;
    default:
      throw new Error(`unknown tool ${req.params.name}`);
  }
  return { content: [{ type: 'text', text: typeof out === 'string' ? out : JSON.stringify(out, null, 2) }] };
});

server.connect(new StdioServerTransport());
