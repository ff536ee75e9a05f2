import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";
import { FlagRepository } from "./db.js";
import { FlagCache } from "./cache.js";

export function createServer(repo: FlagRepository, cache: FlagCache): McpServer {
  const server = new McpServer({ name: "flagpole", version: "0.2.0" });
  const env = z.enum(["dev", "staging", "prod"]);
  const out = (v: unknown) => ({ content: [{ type: "text" as const, text: JSON.stringify(v, null, 2) }] });

  server.tool("list_flags", { environment: env }, async ({ environment }) => out(await repo.list(environment)));

  server.tool("get_flag", { key: z.string(), environment: env }, async ({ key, environment }) => {
    const [row, cached] = await Promise.all([repo.get(key, environment), cache.cachedSet(environment)]);
    return out({ row: row ?? null, cached: cached[key] ?? null });
  });

  server.tool(
    "set_flag",
    { key: z.string(), environment: env, enabled: z.boolean(), rolloutPercent: z.number().min(0).max(100).default(100) },
    async ({ key, environment, enabled, rolloutPercent }) => {
      await repo.upsert(key, environment, enabled, rolloutPercent);
      await cache.invalidate(environment, key);
      return out({ key, environment, enabled, rolloutPercent });
    },
  );
  return server;
}

const server = createServer(FlagRepository.connect(), new FlagCache());
await server.connect(new StdioServerTransport());
