#!/usr/bin/env node
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";
import { callHelper } from "./python.js";
import { discover } from "./feedhub.js";

const server = new McpServer({ name: "feedhub", version: "0.2.4" });

server.registerTool(
  "discover_feeds",
  {
    description: "Find RSS/Atom feeds about a topic using the FeedHub directory",
    inputSchema: { topic: z.string(), limit: z.number().int().min(1).max(50).default(10) },
  },
  async ({ topic, limit }) => {
    const feeds = await discover(topic, limit);
    return { content: [{ type: "text", text: feeds.map((f) => `${f.title} — ${f.url}`).join("\n") }] };
  },
);

server.registerTool(
  "read_feed",
  {
    description: "Fetch and parse an RSS/Atom feed URL, returning the latest entries",
    inputSchema: { url: z.string().url(), max_items: z.number().int().default(15) },
  },
  async ({ url, max_items }) => {
    const result = await callHelper("read", { url, max_items });
    const text = result.entries.map((e) => `- ${e.published ?? ""} ${e.title}\n  ${e.link}`).join("\n");
    return { content: [{ type: "text", text: `# ${result.title}\n${text}` }] };
  },
);

server.registerTool(
  "summarize_feed_text",
  {
    description: "Strip HTML from feed entry content",
    inputSchema: { html: z.string() },
  },
  async ({ html }) => {
    const result = await callHelper("strip", { html });
    return { content: [{ type: "text", text: result.text }] };
  },
);

await server.connect(new StdioServerTransport());
