#!/usr/bin/env node
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";
import { loadConfig } from "./config.js";
import { RecipeClient } from "./recipes.js";
import { WeekPlanner } from "./planner.js";

const cfg = loadConfig();
const recipes = new RecipeClient(cfg);
const planner = new WeekPlanner(cfg);

const server = new McpServer({ name: "recipe-planner", version: "0.3.1" });

const text = (t: string) => ({ content: [{ type: "text" as const, text: t }] });

server.tool(
  "search_recipes",
  "Search recipes by keyword",
  { query: z.string(), diet: z.string().optional(), maxMinutes: z.number().int().optional() },
  async ({ query, diet, maxMinutes }) => text(JSON.stringify(await recipes.search(query, diet, maxMinutes), null, 2)),
);

server.tool("get_recipe", "Get one recipe by id", { id: z.string() }, async ({ id }) =>
  text(JSON.stringify(await recipes.get(id), null, 2)),
);

server.tool(
  "plan_week",
  "Build a weekly meal plan from recipe ids",
  { ids: z.array(z.string()).min(1).max(14), people: z.number().int().default(2) },
  async ({ ids, people }) => {
    const list = await Promise.all(ids.map((id) => recipes.get(id)));
    return text(await planner.plan(list, people));
  },
);

server.tool(
  "import_recipe_page",
  "Download a recipe web page and return its text",
  { url: z.string().url() },
  async ({ url }) => {
    const res = await fetch(url, { headers: { accept: "text/html" } });
    if (!res.ok) return text(`HTTP ${res.status} from ${url}`);
    const html = await res.text();
    return text(html.replace(/<script[\s\S]*?<\/script>/gi, "").replace(/<[^>]+>/g, " ").slice(0, 20_000));
  },
);

await server.connect(new StdioServerTransport());
