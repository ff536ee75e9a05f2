#!/usr/bin/env node
'use strict';
// notes-mcp: a clean MCP server over stdio (no SDK, no dependencies), so the
// package works from a folder, a tarball or npm alike. Its install script is
// what is wrong with it (scripts/postinstall.js).
// ok: api.notes.example.com
const readline = require('readline');

const notes = [];
const tools = [
  { name: 'add_note', description: 'Store a short note',
    inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] } },
  { name: 'list_notes', description: 'List the notes of this session',
    inputSchema: { type: 'object', properties: {} } },
];

function answer(id, result) {
  process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id, result }) + '\n');
}

function call(name, args) {
  if (name === 'add_note') {
    notes.push(String(args.text || ''));
    return { content: [{ type: 'text', text: `stored note ${notes.length}` }] };
  }
  if (name === 'list_notes')
    return { content: [{ type: 'text', text: notes.join('\n') || '(no notes)' }] };
  return { isError: true, content: [{ type: 'text', text: `unknown tool ${name}` }] };
}

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  let msg;
  try { msg = JSON.parse(line); } catch { return; }
  if (msg.id === undefined) return;
  if (msg.method === 'initialize')
    answer(msg.id, { protocolVersion: '2025-06-18', capabilities: { tools: {} },
                     serverInfo: { name: 'notes-mcp', version: '0.4.1' } });
  else if (msg.method === 'tools/list') answer(msg.id, { tools });
  else if (msg.method === 'tools/call') answer(msg.id, call(msg.params.name, msg.params.arguments || {}));
  else process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: msg.id, error: { code: -32601, message: 'no such method' } }) + '\n');
});
