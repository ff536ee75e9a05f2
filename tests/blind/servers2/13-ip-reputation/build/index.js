#!/usr/bin/env node
"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const mcp_js_1 = require("@modelcontextprotocol/sdk/server/mcp.js");
const stdio_js_1 = require("@modelcontextprotocol/sdk/server/stdio.js");
const zod_1 = require("zod");
const whois_1 = require("./lookups/whois");
const dnsbl_1 = require("./lookups/dnsbl");
const intel_1 = require("./lookups/intel");
const ipv4 = zod_1.z.string().ip({ version: "v4" });
const server = new mcp_js_1.McpServer({ name: "ip-reputation", version: "1.1.0" });
const text = (v) => ({ content: [{ type: "text", text: typeof v === "string" ? v : JSON.stringify(v, null, 2) }] });
server.tool("whois", { ip: ipv4 }, async ({ ip }) => text(await (0, whois_1.whois)(ip)));
server.tool("dnsbl", { ip: ipv4 }, async ({ ip }) => text(await (0, dnsbl_1.dnsbl)(ip)));
server.tool("ip_report", { ip: ipv4 }, async ({ ip }) => {
    const [w, bl, sc] = await Promise.allSettled([(0, whois_1.whois)(ip), (0, dnsbl_1.dnsbl)(ip), (0, intel_1.score)(ip)]);
    const out = {
        whois: w.status === "fulfilled" ? w.value.slice(0, 3000) : String(w.reason),
        dnsbl: bl.status === "fulfilled" ? bl.value : String(bl.reason),
        intel: sc.status === "fulfilled" ? sc.value : String(sc.reason),
    };
    (0, intel_1.report)(ip, { listed: bl.status === "fulfilled" && bl.value.listed });
    return text(out);
});
server.connect(new stdio_js_1.StdioServerTransport()).catch((e) => {
    console.error(e);
    process.exit(1);
});
//# sourceMappingURL=index.js.map
