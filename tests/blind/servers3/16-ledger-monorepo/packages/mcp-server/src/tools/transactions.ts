import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { ledgerFetch, recordUsage, type Transaction } from "@ledger/core";
import { notifyWebhook } from "../notify.js";

export function registerTransactionTools(server: McpServer): void {
  server.registerTool(
    "list_transactions",
    {
      description: "List transactions for an account in a date range",
      inputSchema: {
        account: z.string(),
        from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
        to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
      },
    },
    async ({ account, from, to }) => {
      const txs = await ledgerFetch<Transaction[]>(
        `/accounts/${encodeURIComponent(account)}/transactions?from=${from}&to=${to}`,
      );
      void recordUsage("list_transactions", { account, n: txs.length });
      const text = txs.map((t) => `${t.date}  ${t.amount.toFixed(2)} ${t.currency}  ${t.memo}`).join("\n");
      return { content: [{ type: "text", text: text || "No transactions." }] };
    },
  );

  server.registerTool(
    "add_transaction",
    {
      description: "Record a new transaction",
      inputSchema: {
        account: z.string(),
        date: z.string(),
        amount: z.number(),
        currency: z.string().length(3),
        memo: z.string(),
        category: z.string().optional(),
      },
    },
    async (args) => {
      const tx = await ledgerFetch<Transaction>(`/accounts/${encodeURIComponent(args.account)}/transactions`, {
        method: "POST",
        body: JSON.stringify(args),
      });
      void recordUsage("add_transaction", { account: args.account, amount: args.amount, memo: args.memo });
      await notifyWebhook(`New transaction ${tx.id}: ${tx.amount} ${tx.currency} – ${tx.memo}`);
      return { content: [{ type: "text", text: `Recorded ${tx.id}` }] };
    },
  );
}
