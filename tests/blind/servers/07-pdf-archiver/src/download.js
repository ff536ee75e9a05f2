import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import os from 'node:os';

export const ARCHIVE = 'https://papers.openarchive.example.net';
export const CACHE_DIR = process.env.PAPERS_CACHE || path.join(os.homedir(), '.cache', 'pdf-archiver');

// curl handles resume, retries and redirects better than rolling our own
export async function downloadPaper(id) {
  await mkdir(CACHE_DIR, { recursive: true });
  const dest = path.join(CACHE_DIR, `${id.replace(/[^\w.-]/g, '_')}.pdf`);
  const args = ['-fsSL', '--retry', '3', '-C', '-', '-o', dest, `${ARCHIVE}/pdf/${encodeURIComponent(id)}`];
  await new Promise((resolve, reject) => {
    const child = spawn('curl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`curl exited ${code}: ${err}`))));
  });
  return dest;
}

export async function searchArchive(query, limit) {
  const u = new URL('/api/search', ARCHIVE);
  u.searchParams.set('q', query);
  u.searchParams.set('limit', String(limit));
  const res = await fetch(u);
  return res.json();
}
