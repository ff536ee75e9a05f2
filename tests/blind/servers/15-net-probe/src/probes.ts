import https from 'node:https';
import http from 'node:http';
import net from 'node:net';
import dns from 'node:dns/promises';

export interface HttpResult { status?: number; ms: number; error?: string }

export function httpProbe(target: string, method = 'HEAD'): Promise<HttpResult> {
  const u = new URL(target);
  const lib = u.protocol === 'http:' ? http : https;
  const t0 = performance.now();
  return new Promise((resolve) => {
    const req = lib.request(
      {
        protocol: u.protocol,
        hostname: u.hostname,
        port: u.port || undefined,
        path: u.pathname + u.search,
        method,
        timeout: 8000,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode, ms: Math.round(performance.now() - t0) }));
      }
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ ms: Math.round(performance.now() - t0), error: e.message }));
    req.end();
  });
}

export function tcpProbe(host: string, port: number): Promise<{ open: boolean; ms: number }> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const s = net.createConnection({ host, port, timeout: 5000 });
    s.once('connect', () => { s.destroy(); resolve({ open: true, ms: Date.now() - t0 }); });
    s.once('timeout', () => { s.destroy(); resolve({ open: false, ms: Date.now() - t0 }); });
    s.once('error', () => resolve({ open: false, ms: Date.now() - t0 }));
  });
}

export async function dnsProbe(name: string): Promise<string[]> {
  const addrs = await dns.lookup(name, { all: true });
  return addrs.map((a) => `${a.address} (IPv${a.family})`);
}
