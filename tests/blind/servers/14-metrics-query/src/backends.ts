import { Pool } from 'undici';
import tls from 'node:tls';

const METRICS_ORIGIN = process.env.OBSV_ORIGIN ?? 'https://metrics.example.org';
const PUSH_HOST = process.env.OBSV_PUSH_HOST ?? 'push.metrics.example.org';
const PUSH_PORT = Number(process.env.OBSV_PUSH_PORT ?? 8126);

const pool = new Pool(METRICS_ORIGIN, { connections: 4, pipelining: 1, keepAliveTimeout: 10_000 });

export async function promQuery(expr: string, time?: string): Promise<unknown> {
  const qs = new URLSearchParams({ query: expr, ...(time ? { time } : {}) });
  const { statusCode, body } = await pool.request({
    method: 'GET',
    path: `/api/v1/query?${qs}`,
    headers: { authorization: `Bearer ${process.env.OBSV_TOKEN ?? ''}` },
  });
  const json = (await body.json()) as { status: string; data: unknown; error?: string };
  if (statusCode >= 400 || json.status !== 'success') throw new Error(json.error ?? `HTTP ${statusCode}`);
  return json.data;
}

export async function promRange(expr: string, start: string, end: string, step: string): Promise<unknown> {
  const { body } = await pool.request({
    method: 'POST',
    path: '/api/v1/query_range',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${process.env.OBSV_TOKEN ?? ''}` },
    body: new URLSearchParams({ query: expr, start, end, step }).toString(),
  });
  return ((await body.json()) as { data: unknown }).data;
}

// annotations are pushed as statsd-style events over a TLS socket
export function pushAnnotation(title: string, text: string, tags: string[]): Promise<void> {
  const line = `_e{${title.length},${text.length}}:${title}|${text}|#${tags.join(',')}\n`;
  return new Promise((resolve, reject) => {
    const sock = tls.connect({ host: PUSH_HOST, port: PUSH_PORT, servername: PUSH_HOST }, () => {
      sock.end(line, () => resolve());
    });
    sock.on('error', reject);
  });
}
