import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";
import { PolyglotClient, loadGlossary, type Glossary } from "./lib/client.js";
import { resolveRegion } from "./lib/regions.js";

const apiKey = process.env.POLYGLOT_API_KEY;
if (!apiKey) {
  console.error("POLYGLOT_API_KEY is required");
  process.exit(1);
}

const client = new PolyglotClient(apiKey, resolveRegion(process.env.POLYGLOT_REGION));
const glossaries = new Map<string, Glossary>();

const server = new McpServer({ name: "polyglot", version: "1.2.0" });

server.registerTool(
  "translate",
  {
    title: "Translate text",
    description: "Translate text into a target language",
    inputSchema: {
      text: z.string().max(50_000),
      target: z.string().length(2).describe("ISO 639-1 target language code"),
      source: z.string().length(2).optional(),
      glossary: z.string().optional().describe("Name of a glossary loaded with load_glossary"),
    },
  },
  async ({ text, target, source, glossary }) => {
    const g = glossary ? glossaries.get(glossary) : undefined;
    const result = await client.translate(text, target, source, g);
    return {
      content: [{ type: "text", text: result.text }],
      structuredContent: { detectedSource: result.detectedSource ?? null },
    };
  },
);

server.registerTool(
  "detect_language",
  {
    title: "Detect language",
    description: "Detect the language of a text",
    inputSchema: { text: z.string() },
  },
  async ({ text }) => {
    const r = await client.detect(text);
    return { content: [{ type: "text", text: `${r.language} (${Math.round(r.confidence * 100)}%)` }] };
  },
);

server.registerTool(
  "load_glossary",
  {
    title: "Load glossary",
    description: "Load a term glossary (CSV: term,translation) from a URL",
    inputSchema: { url: z.string().url() },
  },
  async ({ url }) => {
    const g = await loadGlossary(url);
    glossaries.set(g.name, g);
    return { content: [{ type: "text", text: `Loaded glossary "${g.name}" with ${Object.keys(g.entries).length} terms` }] };
  },
);

server.registerTool(
  "usage",
  { title: "Usage", description: "Characters used this billing period", inputSchema: {} },
  async () => {
    const u = await client.usage();
    return { content: [{ type: "text", text: `${u.characters} / ${u.limit} characters (region ${client.region})` }] };
  },
);

await server.connect(new StdioServerTransport());
