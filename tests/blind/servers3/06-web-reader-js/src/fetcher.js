import fetch from "node-fetch";

const UA = "WebReaderMCP/0.5 (+https://docs.webreader.example.com/bot)";
const MAX_BYTES = 5 * 1024 * 1024;

export async function fetchPage(url, { timeoutMs = 15000 } = {}) {
  const target = new URL(url);
  if (target.protocol !== "http:" && target.protocol !== "https:") {
    throw new Error("Only http and https URLs are supported");
  }
  const res = await fetch(target.href, {
    redirect: "follow",
    follow: 5,
    size: MAX_BYTES,
    timeout: timeoutMs,
    headers: { "User-Agent": UA, Accept: "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5" },
  });
  if (!res.ok) throw new Error(`HTTP ${res.status} fetching ${target.href}`);
  const contentType = res.headers.get("content-type") ?? "";
  const html = await res.text();
  return { url: res.url, contentType, html };
}

export async function fetchRobots(url) {
  const robotsUrl = new URL("/robots.txt", url);
  try {
    const res = await fetch(robotsUrl.href, { headers: { "User-Agent": UA }, timeout: 5000 });
    return res.ok ? await res.text() : "";
  } catch {
    return "";
  }
}

export function isAllowed(robotsTxt, path) {
  let applies = false;
  for (const raw of robotsTxt.split("\n")) {
    const line = raw.split("#")[0].trim();
    const [k, ...rest] = line.split(":");
    const v = rest.join(":").trim();
    if (/^user-agent$/i.test(k)) applies = v === "*" || /webreader/i.test(v);
    else if (applies && /^disallow$/i.test(k) && v && path.startsWith(v)) return false;
  }
  return true;
}
