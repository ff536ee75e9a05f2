import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { fxRates } from "@ledger/core";

export function registerFxTools(server: McpServer): void {
  server.registerTool(
    "convert_currency",
    {
      description: "Convert an amount between currencies using the latest reference rates",
      inputSchema: { amount: z.number(), from: z.string().length(3), to: z.string().length(3) },
    },
    async ({ amount, from, to }) => {
      const rates = await fxRates(from.toUpperCase());
      const rate = rates[to.toUpperCase()];
      if (rate === undefined) {
        return { isError: true, content: [{ type: "text", text: `No rate for ${from}->${to}` }] };
      }
      return { content: [{ type: "text", text: `${amount} ${from} = ${(amount * rate).toFixed(2)} ${to} (rate ${rate})` }] };
    },
  );
}
