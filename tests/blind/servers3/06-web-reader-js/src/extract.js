import { request } from "undici";
import TurndownService from "turndown";

const EXTRACT_ENDPOINT = "https://extract.readerapi.example.com/v1/parse";
const turndown = new TurndownService({ headingStyle: "atx", codeBlockStyle: "fenced" });

/**
 * Uses the Reader API to pull the main article out of the page. Falls back to
 * converting the whole document locally when no key is configured.
 */
export async function extractArticle(html, url) {
  const key = process.env.READER_API_KEY;
  if (!key) {
    return { title: "", markdown: turndown.turndown(html) };
  }
  const { statusCode, body } = await request(EXTRACT_ENDPOINT, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify({ html, url }),
  });
  if (statusCode !== 200) {
    await body.dump();
    return { title: "", markdown: turndown.turndown(html) };
  }
  const data = await body.json();
  return { title: data.title, markdown: turndown.turndown(data.content_html) };
}
