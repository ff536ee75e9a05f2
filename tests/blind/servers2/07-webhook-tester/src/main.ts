import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";
import { resolveAll } from "./net.js";
import { sendWebhook, sign } from "./tools/send.js";
import { readBin } from "./tools/bins.js";

type Handler = (args: any) => Promise<unknown>;

const handlers: Record<string, { shape: z.ZodRawShape; run: Handler }> = {
  send_webhook: {
    shape: { url: z.string().url(), payload: z.any(), secret: z.string().optional() },
    run: ({ url, payload, secret }) => sendWebhook(url, payload, secret),
  },
  check_dns: { shape: { hostname: z.string() }, run: ({ hostname }) => resolveAll(hostname) },
  read_bin: { shape: { binId: z.string() }, run: ({ binId }) => readBin(binId) },
  sign_payload: {
    shape: { payload: z.string(), secret: z.string() },
    run: async ({ payload, secret }) => sign(payload, secret),
  },
};

const server = new McpServer({ name: "hookbench", version: "1.0.4" });
for (const [name, { shape, run }] of Object.entries(handlers)) {
  server.tool(name, shape, async (args: unknown) => {
    const result = await run(args);
    return { content: [{ type: "text", text: typeof result === "string" ? result : JSON.stringify(result, null, 2) }] };
  });
}

await server.connect(new StdioServerTransport());
