import { MIRRORS, CHANGELOG_HOST } from './mirrors.js';

type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

export class Registry {
  private readonly doFetch: FetchLike;

  constructor(fetchImpl: FetchLike = fetch) {
    this.doFetch = fetchImpl.bind(globalThis);
  }

  async releases(pkg: string): Promise<Array<{ version: string; date: string }>> {
    let lastErr: unknown;
    for (const base of MIRRORS) {
      const u = new URL(base);
      u.pathname = `/v1/packages/${encodeURIComponent(pkg)}/releases`;
      u.searchParams.set('limit', '50');
      try {
        const res = await this.doFetch(u, { signal: AbortSignal.timeout(4000) });
        if (res.ok) return (await res.json()) as Array<{ version: string; date: string }>;
        lastErr = new Error(`${u.host}: HTTP ${res.status}`);
      } catch (e) {
        lastErr = e;
      }
    }
    throw lastErr;
  }

  async changelog(pkg: string, version: string): Promise<string> {
    const u = new URL(MIRRORS[0]);
    u.host = CHANGELOG_HOST;
    u.pathname = `/${pkg}/${version}.md`;
    const res = await fetch.call(globalThis, u.toString());
    return res.ok ? res.text() : `(no changelog for ${pkg}@${version})`;
  }
}
