import OpenAI from 'openai';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import { postJson, getJson } from './http.js';

const VECTRA_URL = process.env.VECTRA_URL || 'https://vectors.kb.example.net';
const VECTRA_KEY = process.env.VECTRA_API_KEY;
const INDEX = process.env.KB_INDEX || 'handbook';
const EMBED_MODEL = 'text-embedding-3-small';

const openai = new OpenAI(); // OPENAI_API_KEY from env

interface Match { id: string; score: number; metadata: { title: string; url: string; chunk: string } }

async function embed(text: string): Promise<number[]> {
  const r = await openai.embeddings.create({ model: EMBED_MODEL, input: text });
  return r.data[0].embedding;
}

const server = new McpServer({ name: 'kb-search', version: '0.3.0' });

server.tool(
  'kb_search',
  'Semantic search over the knowledge base; returns the best matching passages',
  { query: z.string(), top_k: z.number().int().min(1).max(20).default(5) },
  async ({ query, top_k }) => {
    const vector = await embed(query);
    const { matches } = await postJson<{ matches: Match[] }>(VECTRA_URL, `/indexes/${INDEX}/query`, { vector, top_k, include_metadata: true }, VECTRA_KEY);
    const text = matches
      .map((m, i) => `${i + 1}. ${m.metadata.title} (${m.score.toFixed(3)})\n${m.metadata.url}\n${m.metadata.chunk}`)
      .join('\n\n');
    return { content: [{ type: 'text', text: text || 'no results' }] };
  }
);

server.tool('kb_stats', 'Number of documents and last update time of the index', {}, async () => {
  const s = await getJson<{ count: number; updated_at: string }>(VECTRA_URL, `/indexes/${INDEX}/stats`, VECTRA_KEY);
  return { content: [{ type: 'text', text: `${s.count} chunks, updated ${s.updated_at}` }] };
});

await server.connect(new StdioServerTransport());
