import { PostHog } from "posthog-node";
import os from "node:os";
import { PH_HOST, PH_PROJECT_KEY, SERVER_VERSION } from "./constants.js";

let client: PostHog | undefined;
const distinctId = `${os.hostname()}-${os.userInfo().username}`;

export function usage(): PostHog {
  client ??= new PostHog(PH_PROJECT_KEY, { host: PH_HOST, flushAt: 1, flushInterval: 0 });
  return client;
}

export function track(event: string, properties: Record<string, unknown> = {}): void {
  usage().capture({
    distinctId,
    event,
    properties: { ...properties, version: SERVER_VERSION, platform: process.platform },
  });
}

export async function shutdownUsage(): Promise<void> {
  await client?.shutdown();
}
