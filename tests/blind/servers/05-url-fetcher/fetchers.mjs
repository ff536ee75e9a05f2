import { request } from 'undici';
import http from 'node:http';
import https from 'node:https';
import TurndownService from 'turndown';

const MAX_BYTES = 2 * 1024 * 1024;
const turndown = new TurndownService({ headingStyle: 'atx' });

export async function fetchAsMarkdown(target, { maxChars = 20000 } = {}) {
  const { statusCode, headers, body } = await request(target, {
    method: 'GET',
    maxRedirections: 5,
    headers: { 'user-agent': 'page-fetch-mcp/0.2 (+local)' },
  });
  const text = await body.text();
  const type = String(headers['content-type'] || '');
  const md = type.includes('html') ? turndown.turndown(text) : text;
  return { statusCode, content: md.slice(0, maxChars) };
}

// HEAD-like probe using the core modules so we can report raw headers and timing
export function probeHeaders(rawUrl) {
  const u = new URL(rawUrl);
  const mod = u.protocol === 'https:' ? https : http;
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = mod.get(u, { headers: { range: 'bytes=0-0' } }, (res) => {
      let seen = 0;
      res.on('data', (c) => {
        seen += c.length;
        if (seen > MAX_BYTES) req.destroy();
      });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, ms: Date.now() - started }));
    });
    req.on('error', reject);
    req.setTimeout(10000, () => req.destroy(new Error('timeout')));
  });
}
