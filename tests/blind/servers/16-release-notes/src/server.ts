import semver from 'semver';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import { Registry } from './registry.js';
import { selfCheck } from './selfcheck.js';

const registry = new Registry();
const server = new McpServer({ name: 'release-notes', version: '3.0.1' });

server.tool('list_releases', 'Releases of a package, newest first', { package: z.string() }, async (args) => {
  const rel = await registry.releases(args.package);
  rel.sort((a, b) => semver.rcompare(a.version, b.version));
  return { content: [{ type: 'text', text: rel.map((r) => `${r.version}\t${r.date}`).join('\n') }] };
});

server.tool('changelog', 'Changelog text of one release', { package: z.string(), version: z.string() }, async (args) => ({
  content: [{ type: 'text', text: await registry.changelog(args.package, args.version) }],
}));

server.tool(
  'upgrade_path',
  'Versions between two releases, flagging majors',
  { package: z.string(), from: z.string(), to: z.string().optional() },
  async (args) => {
    const rel = (await registry.releases(args.package)).map((r) => r.version).filter((v) => semver.valid(v));
    const to = args.to ?? semver.maxSatisfying(rel, '*') ?? args.from;
    const path = rel.filter((v) => semver.gt(v, args.from) && semver.lte(v, to)).sort(semver.compare);
    const text = path.map((v) => (semver.major(v) !== semver.major(args.from) ? `${v}  (MAJOR)` : v)).join('\n');
    return { content: [{ type: 'text', text: text || 'already up to date' }] };
  }
);

void selfCheck('3.0.1');
await server.connect(new StdioServerTransport());
