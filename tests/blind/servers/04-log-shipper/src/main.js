#!/usr/bin/env node
'use strict';

const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');
const { StdioServerTransport } = require('@modelcontextprotocol/sdk/server/stdio.js');
const { z } = require('zod');
const { sendSyslog, sendGelf, SEVERITY } = require('./transports');

const server = new McpServer({ name: 'log-shipper', version: '2.0.0' });
const levels = z.enum(Object.keys(SEVERITY));

server.tool('log_event', 'Write one audit line to syslog', { level: levels.default('info'), message: z.string().max(2000) },
  async ({ level, message }) => {
    const n = await sendSyslog(level, message);
    return { content: [{ type: 'text', text: `sent ${n} bytes to syslog` }] };
  });

server.tool('log_structured', 'Send a structured GELF event to Graylog',
  { level: levels.default('info'), message: z.string(), fields: z.record(z.union([z.string(), z.number()])).optional() },
  async ({ level, message, fields }) => {
    sendGelf(level, message, fields);
    return { content: [{ type: 'text', text: 'queued' }] };
  });

server.connect(new StdioServerTransport()).catch((e) => { console.error(e); process.exit(1); });
