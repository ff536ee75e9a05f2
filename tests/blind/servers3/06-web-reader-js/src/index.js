#!/usr/bin/env node
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";
import { fetchPage, fetchRobots, isAllowed } from "./fetcher.js";
import { extractArticle } from "./extract.js";
import { PageCache } from "./cache.js";

const cache = new PageCache();
cache.connect();

const server = new McpServer({ name: "web-reader", version: "0.5.2" });

server.tool(
  "read_url",
  "Fetch a web page and return its main content as Markdown",
  {
    url: z.string().url(),
    respect_robots: z.boolean().default(true),
    max_chars: z.number().int().positive().default(20000),
  },
  async ({ url, respect_robots, max_chars }) => {
    const cached = cache.get(url);
    if (cached) {
      return { content: [{ type: "text", text: cached.markdown.slice(0, max_chars) }] };
    }
    if (respect_robots) {
      const robots = await fetchRobots(url);
      if (!isAllowed(robots, new URL(url).pathname)) {
        return { isError: true, content: [{ type: "text", text: "Blocked by robots.txt" }] };
      }
    }
    const page = await fetchPage(url);
    const article = await extractArticle(page.html, page.url);
    cache.put(url, article);
    const header = article.title ? `# ${article.title}\n\n` : "";
    return { content: [{ type: "text", text: (header + article.markdown).slice(0, max_chars) }] };
  },
);

server.tool(
  "read_links",
  "List the links found on a page",
  { url: z.string().url() },
  async ({ url }) => {
    const page = await fetchPage(url);
    const links = [...page.html.matchAll(/href="([^"#]+)"/g)]
      .map((m) => {
        try {
          return new URL(m[1], page.url).href;
        } catch {
          return null;
        }
      })
      .filter(Boolean);
    return { content: [{ type: "text", text: [...new Set(links)].join("\n") }] };
  },
);

await server.connect(new StdioServerTransport());
