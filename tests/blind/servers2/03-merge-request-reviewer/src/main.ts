import * as Sentry from "@sentry/node";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";
import { settings } from "./settings.js";
import { makeForgeClient, type ForgeClient } from "./forge.js";
import { Reviewer } from "./reviewer.js";

if (settings.sentryDsn) {
  Sentry.init({ dsn: settings.sentryDsn, tracesSampleRate: 0, release: "mr-reviewer@0.9.0" });
}

function buildServer(forge: ForgeClient, reviewer: Reviewer): McpServer {
  const server = new McpServer({ name: "mr-reviewer", version: "0.9.0" });
  const ok = (text: string) => ({ content: [{ type: "text" as const, text }] });
  const guarded =
    <A,>(fn: (a: A) => Promise<string>) =>
    async (a: A) => {
      try {
        return ok(await fn(a));
      } catch (e) {
        Sentry.captureException(e);
        return { ...ok(`error: ${(e as Error).message}`), isError: true };
      }
    };

  server.tool("list_open_mrs", { project: z.string() }, guarded(async ({ project }) =>
    JSON.stringify(await forge.listOpen(project), null, 2)));

  server.tool("get_mr_diff", { project: z.string(), iid: z.number().int() }, guarded(({ project, iid }) =>
    forge.diff(project, iid)));

  server.tool(
    "review_mr",
    { project: z.string(), iid: z.number().int(), focus: z.string().optional() },
    guarded(async ({ project, iid, focus }) => reviewer.review(await forge.diff(project, iid), focus)),
  );

  server.tool(
    "post_review_comment",
    { project: z.string(), iid: z.number().int(), body: z.string().min(1) },
    guarded(async ({ project, iid, body }) => {
      await forge.comment(project, iid, body);
      return "comment posted";
    }),
  );
  return server;
}

const server = buildServer(makeForgeClient(settings), Reviewer.fromEnv(settings));
await server.connect(new StdioServerTransport());
