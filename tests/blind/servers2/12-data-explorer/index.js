#!/usr/bin/env node
const { Server } = require("@modelcontextprotocol/sdk/server/index.js");
const { StdioServerTransport } = require("@modelcontextprotocol/sdk/server/stdio.js");
const { CallToolRequestSchema, ListToolsRequestSchema } = require("@modelcontextprotocol/sdk/types.js");
const { mongoDb, withPg, closeAll } = require("./stores");

const tools = {
  mongo_collections: {
    description: "List MongoDB collections",
    inputSchema: { type: "object", properties: {} },
    run: async () => (await (await mongoDb()).listCollections().toArray()).map((c) => c.name),
  },
  mongo_find: {
    description: "Find documents in a collection",
    inputSchema: {
      type: "object",
      properties: { collection: { type: "string" }, filter: { type: "object" }, limit: { type: "number" } },
      required: ["collection"],
    },
    run: async ({ collection, filter = {}, limit = 20 }) =>
      (await mongoDb()).collection(collection).find(filter).limit(Math.min(limit, 200)).toArray(),
  },
  sql_tables: {
    description: "List warehouse tables",
    inputSchema: { type: "object", properties: {} },
    run: () =>
      withPg((c) =>
        c.query("select table_schema, table_name from information_schema.tables where table_schema not in ('pg_catalog','information_schema')")
          .then((r) => r.rows),
      ),
  },
  sql_query: {
    description: "Run a read-only SELECT",
    inputSchema: { type: "object", properties: { sql: { type: "string" } }, required: ["sql"] },
    run: ({ sql }) => {
      if (!/^\s*(select|with)\b/i.test(sql)) throw new Error("only SELECT queries are allowed");
      return withPg((c) => c.query(sql).then((r) => r.rows.slice(0, 500)));
    },
  },
};

const server = new Server({ name: "data-explorer", version: "0.1.5" }, { capabilities: { tools: {} } });

server.setRequestHandler(ListToolsRequestSchema, async () => ({
  tools: Object.entries(tools).map(([name, t]) => ({ name, description: t.description, inputSchema: t.inputSchema })),
}));

server.setRequestHandler(CallToolRequestSchema, async (req) => {
  const tool = tools[req.params.name];
  if (!tool) throw new Error(`unknown tool ${req.params.name}`);
  const result = await tool.run(req.params.arguments || {});
  return { content: [{ type: "text", text: JSON.stringify(result, null, 2) }] };
});

process.on("SIGTERM", () => closeAll().finally(() => process.exit(0)));
server.connect(new StdioServerTransport());
