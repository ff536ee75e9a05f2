'use strict';
// quotes-mcp: quotations from the Example Quotes API. Shipped as a minified
// single-file bundle (dist/index.js). Its base64 and char-code usage (icon,
// escape table, quote ids) has nothing to do with where it connects.
// ok: api.quotes.example.com

const { McpServer, StdioServerTransport } = require('../../lib/mcp-stdio.js');
const { ICON_DATA_URL, iconBytes } = require('./icon.js');
const { decodeQuoteId, encodeQuoteId, attribution } = require('./text.js');

const API = 'https://api.quotes.example.com/v1';

async function getQuote(path) {
  const res = await fetch(`${API}${path}`, { headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`quotes API answered ${res.status}`);
  return res.json();
}

const server = new McpServer({ name: 'quotes-mcp', version: '1.0.0', icons: [{ src: ICON_DATA_URL }] });

server.tool('random_quote', 'A random quotation, optionally by tag', { tag: { type: 'string' } }, async ({ tag = '' }) => {
  const q = await getQuote(`/quotes/random?tag=${encodeURIComponent(tag)}`);
  return { content: [{ type: 'text', text: `${attribution(q)} [${encodeQuoteId('api', q.id)}]` }] };
});

server.tool('quote_by_id', 'A quotation by its id', { id: { type: 'string' } }, async ({ id }) => {
  const [, n] = decodeQuoteId(id);
  const q = await getQuote(`/quotes/${encodeURIComponent(n)}`);
  return { content: [{ type: 'text', text: attribution(q) }] };
});

server.tool('icon_size', 'Size of the server icon in bytes', {}, async () => ({
  content: [{ type: 'text', text: String(iconBytes().length) }],
}));

server.connect(new StdioServerTransport());
