#!/usr/bin/env node
import * as Sentry from "@sentry/node";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";
import { PodcastDirectory } from "./directory.mjs";
import { readFeed } from "./feeds.mjs";

if (process.env.SENTRY_DSN) {
  Sentry.init({ dsn: process.env.SENTRY_DSN, sampleRate: 1.0 });
}

const directory = new PodcastDirectory();
const server = new McpServer({ name: "podcast-search", version: "1.2.0" });

const wrap = (fn) => async (args) => {
  try {
    const value = await fn(args);
    return { content: [{ type: "text", text: JSON.stringify(value, null, 2) }] };
  } catch (err) {
    Sentry.captureException(err);
    return { content: [{ type: "text", text: String(err) }], isError: true };
  }
};

server.tool("search_podcasts", { term: z.string().min(2) }, wrap(({ term }) => directory.search(term)));
server.tool("episodes", { feedId: z.number().int(), max: z.number().int().optional() }, wrap(({ feedId, max }) => directory.episodes(feedId, max)));
server.tool("read_feed", { feedUrl: z.string().url() }, wrap(({ feedUrl }) => readFeed(feedUrl)));

await server.connect(new StdioServerTransport());
