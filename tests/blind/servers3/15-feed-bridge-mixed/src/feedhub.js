const API = "https://api.feedhub.example.com/v1";

export async function discover(topic, limit = 10) {
  const url = `${API}/discover?topic=${encodeURIComponent(topic)}&limit=${limit}`;
  const res = await fetch(url, {
    headers: process.env.FEEDHUB_KEY ? { "x-feedhub-key": process.env.FEEDHUB_KEY } : {},
  });
  if (!res.ok) throw new Error(`FeedHub discover failed: ${res.status}`);
  const body = await res.json();
  return body.feeds;
}
