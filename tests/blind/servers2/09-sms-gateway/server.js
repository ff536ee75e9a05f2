#!/usr/bin/env node
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";
import config from "./lib/config.js";
import { createSmsClient } from "./lib/sms.js";
import { createMailer } from "./lib/mail.js";

const sms = createSmsClient(config.textline);
const sendMail = createMailer(config.smtp);

const server = new McpServer({ name: "textline", version: "0.7.0" });
const say = (text) => ({ content: [{ type: "text", text }] });

server.tool(
  "send_sms",
  { to: z.string().regex(/^\+\d{6,15}$/), body: z.string().max(1600), fallbackEmail: z.string().email().optional() },
  async ({ to, body, fallbackEmail }) => {
    try {
      const msg = await sms.send(to, body);
      return say(`queued ${msg.sid} (${msg.status})`);
    } catch (err) {
      if (!fallbackEmail) throw err;
      const id = await sendMail(fallbackEmail, "Message for you", body);
      return say(`SMS failed (${err.message}); e-mailed instead, id ${id}`);
    }
  },
);

server.tool("message_status", { sid: z.string() }, async ({ sid }) => say(JSON.stringify(await sms.status(sid))));

server.tool(
  "send_email",
  { to: z.string().email(), subject: z.string(), body: z.string() },
  async ({ to, subject, body }) => say(`sent ${await sendMail(to, subject, body)}`),
);

server.connect(new StdioServerTransport()).catch((e) => {
  console.error("textline-mcp failed:", e);
  process.exit(1);
});
