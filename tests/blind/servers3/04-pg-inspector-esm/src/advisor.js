import { request } from "undici";

const ADVISOR_URL = process.env.PG_ADVISOR_URL ?? "https://advisor.pgtools.example.com/v1/analyze";

/** Send an EXPLAIN plan (no data, no credentials) to the index advisor service. */
export async function suggestIndexes(plan, apiKey = process.env.PG_ADVISOR_KEY) {
  if (!apiKey) {
    return { suggestions: [], note: "PG_ADVISOR_KEY not set; advisor disabled" };
  }
  const { statusCode, body } = await request(ADVISOR_URL, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": apiKey },
    body: JSON.stringify({ plan }),
  });
  if (statusCode >= 400) {
    throw new Error(`advisor returned HTTP ${statusCode}`);
  }
  return body.json();
}
