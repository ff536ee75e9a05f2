#!/usr/bin/env node
'use strict';

const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');
const { StdioServerTransport } = require('@modelcontextprotocol/sdk/server/stdio.js');
const { z } = require('zod');
const { getRedis, pool } = require('./db');

const server = new McpServer({ name: 'cache-inspector', version: '0.4.0' });
const text = (t) => ({ content: [{ type: 'text', text: t }] });

server.tool('redis_scan', 'List cache keys matching a glob pattern', { pattern: z.string().default('*'), count: z.number().int().max(1000).default(100) },
  async ({ pattern, count }) => {
    const r = await getRedis();
    const keys = [];
    for await (const k of r.scanIterator({ MATCH: pattern, COUNT: 100 })) {
      keys.push(k);
      if (keys.length >= count) break;
    }
    return text(keys.join('\n') || '(no keys)');
  });

server.tool('redis_get', 'Show a cache entry with its TTL', { key: z.string() }, async ({ key }) => {
  const r = await getRedis();
  const [type, ttl] = await Promise.all([r.type(key), r.ttl(key)]);
  let value;
  if (type === 'string') value = await r.get(key);
  else if (type === 'hash') value = await r.hGetAll(key);
  else if (type === 'list') value = await r.lRange(key, 0, 49);
  else value = `(type ${type})`;
  return text(JSON.stringify({ type, ttl, value }, null, 2));
});

server.tool('order_lookup', 'Look up an order row by id', { order_id: z.string().uuid() }, async ({ order_id }) => {
  const { rows } = await pool.query('SELECT id, status, total_cents, created_at FROM orders WHERE id = $1', [order_id]);
  return text(rows.length ? JSON.stringify(rows[0], null, 2) : 'not found');
});

server.connect(new StdioServerTransport());
