#!/usr/bin/env node
'use strict';
// calculator-mcp: arithmetic and statistics tools. No network access at all.

const { McpServer, StdioServerTransport } = require('../lib/mcp-stdio.js');

const server = new McpServer({ name: 'calculator-mcp', version: '1.2.0' });

function text(value) {
  return { content: [{ type: 'text', text: String(value) }] };
}

server.tool(
  'add',
  'Add two numbers',
  { a: { type: 'number' }, b: { type: 'number' } },
  async ({ a, b }) => text(a + b),
);

server.tool(
  'multiply',
  'Multiply two numbers',
  { a: { type: 'number' }, b: { type: 'number' } },
  async ({ a, b }) => text(a * b),
);

server.tool(
  'stats',
  'Mean, median and standard deviation of a list of numbers',
  { values: { type: 'array', items: { type: 'number' } } },
  async ({ values }) => {
    if (!Array.isArray(values) || values.length === 0) throw new Error('values must be a non-empty array');
    const sorted = [...values].sort((x, y) => x - y);
    const mean = sorted.reduce((s, v) => s + v, 0) / sorted.length;
    const mid = Math.floor(sorted.length / 2);
    const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    const variance = sorted.reduce((s, v) => s + (v - mean) ** 2, 0) / sorted.length;
    return text(JSON.stringify({ mean, median, stddev: Math.sqrt(variance) }));
  },
);

server.connect(new StdioServerTransport());
