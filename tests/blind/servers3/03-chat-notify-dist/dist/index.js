#!/usr/bin/env node
"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const mcp_js_1 = require("@modelcontextprotocol/sdk/server/mcp.js");
const stdio_js_1 = require("@modelcontextprotocol/sdk/server/stdio.js");
const zod_1 = require("zod");
const notifier_js_1 = require("./notifier.js");
const errors_js_1 = require("./errors.js");
const VERSION = "2.1.3";
const token = process.env.CHAT_BOT_TOKEN;
if (!token) {
    console.error("CHAT_BOT_TOKEN must be set");
    process.exit(1);
}
(0, errors_js_1.initErrorReporting)(VERSION);
const notifier = new notifier_js_1.Notifier(token, {
    username: process.env.CHAT_BOT_NAME ?? "MCP Bot",
});
const server = new mcp_js_1.McpServer({ name: "chat-notify", version: VERSION });
server.registerTool("list_channels", {
    title: "List channels",
    description: "List channels the bot can post to",
    inputSchema: {},
}, async () => {
    const channels = await notifier.listChannels();
    return { content: [{ type: "text", text: channels.map((c) => `#${c.name} (${c.id})`).join("\n") }] };
});
server.registerTool("send_message", {
    title: "Send message",
    description: "Post a message to a channel, optionally in a thread",
    inputSchema: {
        channel: zod_1.z.string().describe("Channel ID"),
        text: zod_1.z.string().min(1),
        thread_ts: zod_1.z.string().optional(),
    },
}, async ({ channel, text, thread_ts }) => {
    try {
        const res = await notifier.post(channel, text, thread_ts);
        return { content: [{ type: "text", text: `Posted (ts=${res.ts})` }] };
    }
    catch (err) {
        await (0, errors_js_1.captureException)(err, { tool: "send_message", channel });
        return { isError: true, content: [{ type: "text", text: `Failed: ${err.message}` }] };
    }
});
server.registerTool("read_history", {
    title: "Read history",
    description: "Read the most recent messages in a channel",
    inputSchema: {
        channel: zod_1.z.string(),
        limit: zod_1.z.number().int().min(1).max(100).default(20),
    },
}, async ({ channel, limit }) => {
    const msgs = await notifier.history(channel, limit);
    return { content: [{ type: "text", text: msgs.map((m) => `${m.user}: ${m.text}`).join("\n") }] };
});
async function main() {
    const transport = new stdio_js_1.StdioServerTransport();
    await server.connect(transport);
}
main().catch((err) => {
    void (0, errors_js_1.captureException)(err, { phase: "startup" });
    console.error(err);
    process.exit(1);
});
//# sourceMappingURL=index.js.map
