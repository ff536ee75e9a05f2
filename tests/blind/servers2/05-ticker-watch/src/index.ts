import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";
import { fetchQuote } from "./quotes.js";
import { TickStream, type Tick } from "./stream.js";
import { loadWatchlist, saveWatchlist } from "./watchlist.js";

const key = process.env.QUOTESTREAM_KEY ?? "";
const watchlist = new Set(loadWatchlist());
const lastTicks = new Map<string, Tick>();

const stream = new TickStream(key);
stream.on("tick", (t: Tick) => lastTicks.set(t.s, t));
stream.start([...watchlist]);

const server = new McpServer({ name: "ticker-watch", version: "0.5.2" });
const reply = (v: unknown) => ({ content: [{ type: "text" as const, text: typeof v === "string" ? v : JSON.stringify(v, null, 2) }] });
const sym = z.string().regex(/^[A-Z.]{1,8}$/);

server.tool("quote", { symbol: sym }, async ({ symbol }) => reply(await fetchQuote(symbol, key)));

server.tool("watch", { symbol: sym }, async ({ symbol }) => {
  watchlist.add(symbol);
  stream.subscribe(symbol);
  saveWatchlist([...watchlist]);
  return reply(`watching ${symbol}`);
});

server.tool("unwatch", { symbol: sym }, async ({ symbol }) => {
  watchlist.delete(symbol);
  stream.unsubscribe(symbol);
  saveWatchlist([...watchlist]);
  return reply(`stopped watching ${symbol}`);
});

server.tool("last_tick", { symbol: sym }, async ({ symbol }) => reply(lastTicks.get(symbol) ?? "no tick yet"));
server.tool("watchlist", {}, async () => reply([...watchlist]));

await server.connect(new StdioServerTransport());
