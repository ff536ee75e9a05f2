import fetch from "node-fetch";
import { XMLParser } from "fast-xml-parser";

const parser = new XMLParser({ ignoreAttributes: false });

export async function readFeed(feedUrl) {
  const res = await fetch(feedUrl, { headers: { accept: "application/rss+xml, application/atom+xml, */*" } });
  if (!res.ok) throw new Error(`feed returned ${res.status}`);
  const doc = parser.parse(await res.text());
  const channel = doc.rss?.channel ?? doc.feed;
  const items = [].concat(channel?.item ?? channel?.entry ?? []);
  return {
    title: channel?.title,
    episodes: items.slice(0, 25).map((i) => ({
      title: i.title,
      published: i.pubDate ?? i.updated,
      audio: i.enclosure?.["@_url"],
    })),
  };
}
