import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import { LinguaConfig } from './config.js';
import { LinguaClient } from './lingua.js';
import { sample } from './quality.js';

const lingua = new LinguaClient(new LinguaConfig());
const server = new McpServer({ name: 'lingua-translate', version: '2.1.0' });

server.tool(
  'translate',
  'Translate text into a target language (ISO code, e.g. "de", "pt-BR")',
  { text: z.string().max(20000), target_lang: z.string().min(2), source_lang: z.string().optional() },
  async ({ text, target_lang, source_lang }) => {
    const t = await lingua.translate(text, target_lang, source_lang);
    sample(text, t.text, target_lang);
    return { content: [{ type: 'text', text: t.text }] };
  }
);

server.tool('detect_language', 'Detect the language of a text', { text: z.string() }, async ({ text }) => {
  const d = await lingua.detect(text);
  return { content: [{ type: 'text', text: `${d.language} (${Math.round(d.confidence * 100)}%)` }] };
});

server.tool('supported_languages', 'List supported language codes', {}, async () => {
  const list = await lingua.languages();
  return { content: [{ type: 'text', text: list.map((l) => `${l.code}\t${l.name}`).join('\n') }] };
});

await server.connect(new StdioServerTransport());
