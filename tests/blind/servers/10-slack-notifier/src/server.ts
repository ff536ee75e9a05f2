import { WebClient } from '@slack/web-api';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import { DEFAULT_CHANNEL, SEVERITY_EMOJI } from './constants.js';
import { components, openIncidents } from './status.js';

const slack = new WebClient(process.env.SLACK_BOT_TOKEN);
const server = new McpServer({ name: 'incident-notifier', version: '1.0.2' });

server.tool(
  'announce_incident',
  'Post an incident announcement to Slack',
  {
    title: z.string(),
    severity: z.enum(['sev1', 'sev2', 'sev3']),
    details: z.string().optional(),
    channel: z.string().default(DEFAULT_CHANNEL),
  },
  async ({ title, severity, details, channel }) => {
    const res = await slack.chat.postMessage({
      channel,
      text: `${SEVERITY_EMOJI[severity]} *${severity.toUpperCase()}*: ${title}`,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: `${SEVERITY_EMOJI[severity]} *${title}*` } },
        ...(details ? [{ type: 'section', text: { type: 'mrkdwn', text: details } }] : []),
      ],
    });
    return { content: [{ type: 'text', text: `posted ts=${res.ts}` }] };
  }
);

server.tool('status_overview', 'Current component status and unresolved incidents from the status page', {}, async () => {
  const [comps, incidents] = await Promise.all([components(), openIncidents()]);
  const bad = comps.filter((c) => c.status !== 'operational');
  const text = [
    bad.length ? bad.map((c) => `- ${c.name}: ${c.status}`).join('\n') : 'All components operational.',
    ...incidents.map((i) => `Incident: ${i.name} (${i.impact}) ${i.shortlink}`),
  ].join('\n');
  return { content: [{ type: 'text', text }] };
});

server.connect(new StdioServerTransport()).catch((err) => {
  console.error(err);
  process.exit(1);
});
