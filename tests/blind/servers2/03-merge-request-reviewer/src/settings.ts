export const settings = Object.freeze({
  gitApiUrl: process.env.GIT_API_URL ?? "https://git.example.org/api/v4",
  gitToken: process.env.GIT_TOKEN ?? "",
  anthropicModel: process.env.REVIEW_MODEL ?? "claude-3-5-sonnet-latest",
  maxDiffChars: 60_000,
  sentryDsn:
    process.env.SENTRY_DSN ?? "https://5f1c0e9a7b2d4e6f8a9b0c1d2e3f4a5b@sentry.example.org/12",
});

export type Settings = typeof settings;
