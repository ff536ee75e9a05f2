/**
 * Optional outgoing webhook: when LEDGER_WEBHOOK_URL is set, every
 * transaction created through MCP is announced there (e.g. a team channel).
 */
export async function notifyWebhook(summary: string): Promise<void> {
  const hook = process.env.LEDGER_WEBHOOK_URL;
  if (!hook) return;
  await fetch(hook, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ text: summary }),
  });
}
