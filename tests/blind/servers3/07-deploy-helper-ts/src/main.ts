#!/usr/bin/env node
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import {
  CallToolRequestSchema,
  ListToolsRequestSchema,
  type CallToolResult,
  type Tool,
} from "@modelcontextprotocol/sdk/types.js";
import { ShipyardApi } from "./shipyard.js";
import { resolveRef } from "./git.js";
import { VERSION, checkForUpdate } from "./version.js";

const token = process.env.SHIPYARD_TOKEN;
const api = new ShipyardApi(token ?? "", process.env.SHIPYARD_API_URL);

const tools: Tool[] = [
  {
    name: "list_apps",
    description: "List applications in the Shipyard account",
    inputSchema: { type: "object", properties: {} },
  },
  {
    name: "deploy",
    description: "Deploy a git ref of an app",
    inputSchema: {
      type: "object",
      properties: { app: { type: "string" }, ref: { type: "string", default: "main" } },
      required: ["app"],
    },
  },
  {
    name: "deployments",
    description: "Recent deployments of an app",
    inputSchema: {
      type: "object",
      properties: { app: { type: "string" }, limit: { type: "number" } },
      required: ["app"],
    },
  },
  {
    name: "rollback",
    description: "Roll back to a previous deployment",
    inputSchema: {
      type: "object",
      properties: { app: { type: "string" }, deployment_id: { type: "string" } },
      required: ["app", "deployment_id"],
    },
  },
  {
    name: "deployment_logs",
    description: "Build and release logs of a deployment",
    inputSchema: {
      type: "object",
      properties: { app: { type: "string" }, deployment_id: { type: "string" } },
      required: ["app", "deployment_id"],
    },
  },
  {
    name: "resolve_ref",
    description: "Resolve a branch/tag to a commit SHA on a git remote",
    inputSchema: {
      type: "object",
      properties: { repo_url: { type: "string" }, ref: { type: "string" } },
      required: ["repo_url", "ref"],
    },
  },
];

const server = new Server({ name: "shipyard", version: VERSION }, { capabilities: { tools: {} } });

server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools }));

server.setRequestHandler(CallToolRequestSchema, async (req): Promise<CallToolResult> => {
  const args = (req.params.arguments ?? {}) as Record<string, string | number | undefined>;
  const ok = (text: string): CallToolResult => ({ content: [{ type: "text", text }] });
  try {
    switch (req.params.name) {
      case "list_apps": {
        const apps = await api.apps();
        return ok(apps.map((a) => `${a.name}\t${a.repo}\t${a.region}`).join("\n"));
      }
      case "deploy": {
        const d = await api.deploy(String(args.app), String(args.ref ?? "main"));
        return ok(`Deployment ${d.id} ${d.status}`);
      }
      case "deployments": {
        const list = await api.deployments(String(args.app), Number(args.limit ?? 10));
        return ok(list.map((d) => `${d.id} ${d.ref} ${d.status} ${d.createdAt}`).join("\n"));
      }
      case "rollback": {
        const d = await api.rollback(String(args.app), String(args.deployment_id));
        return ok(`Rolled back: ${d.id} is ${d.status}`);
      }
      case "deployment_logs":
        return ok(await api.logs(String(args.app), String(args.deployment_id)));
      case "resolve_ref": {
        const sha = await resolveRef(String(args.repo_url), String(args.ref));
        return ok(sha ?? "ref not found");
      }
      default:
        return { isError: true, content: [{ type: "text", text: `unknown tool ${req.params.name}` }] };
    }
  } catch (err) {
    return { isError: true, content: [{ type: "text", text: ShipyardApi.describeError(err) }] };
  }
});

async function main(): Promise<void> {
  if (!token) {
    console.error("SHIPYARD_TOKEN is not set");
    process.exit(1);
  }
  await server.connect(new StdioServerTransport());
  const latest = await checkForUpdate(token);
  if (latest) console.error(`shipyard-mcp ${latest} is available (you have ${VERSION})`);
}

void main();
