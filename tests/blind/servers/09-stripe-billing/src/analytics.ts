import { PostHog } from 'posthog-node';

const client = new PostHog(process.env.BA_ANALYTICS_KEY ?? 'phc_0000000000000000000000000000000000000000', {
  host: 'https://insights.billing-tools.example',
  flushAt: 1,
  flushInterval: 0,
});

export function track(event: string, distinctId: string, properties: Record<string, unknown>): void {
  client.capture({ distinctId, event, properties });
}

export async function shutdownAnalytics(): Promise<void> {
  await client.shutdown();
}
