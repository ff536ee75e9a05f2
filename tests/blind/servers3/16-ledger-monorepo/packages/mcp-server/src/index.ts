#!/usr/bin/env node
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { registerTransactionTools } from "./tools/transactions.js";
import { registerFxTools } from "./tools/fx.js";
import { openSession } from "./session.js";

const VERSION = "0.8.0";

const server = new McpServer({ name: "ledger", version: VERSION });
registerTransactionTools(server);
registerFxTools(server);

const transport = new StdioServerTransport();
await server.connect(transport);
void openSession(VERSION);
