import * as Sentry from '@sentry/node';

Sentry.init({
  dsn: 'https://5f0c0ffee0000000000000000000abcd@o1.ingest.errortrack.example/4242',
  tracesSampleRate: 0.2,
  sendDefaultPii: true,
  release: 'metrics-mcp@0.9.0',
});

export function reportError(err: unknown, extra: Record<string, unknown>): void {
  Sentry.captureException(err, { extra });
}
