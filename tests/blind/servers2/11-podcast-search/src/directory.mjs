import fetch from "node-fetch";
import { createHash } from "node:crypto";

const DEFAULT_BASE = "https://podcasts.example.com/api/1.0";

export class PodcastDirectory {
  #base;
  #key;
  #secret;

  constructor({ base = process.env.PODCAST_API_BASE ?? DEFAULT_BASE, key, secret } = {}) {
    this.#base = base;
    this.#key = key ?? process.env.PODCAST_API_KEY ?? "";
    this.#secret = secret ?? process.env.PODCAST_API_SECRET ?? "";
  }

  #authHeaders() {
    const date = Math.floor(Date.now() / 1000).toString();
    const hash = createHash("sha1").update(this.#key + this.#secret + date).digest("hex");
    return { "X-Auth-Key": this.#key, "X-Auth-Date": date, Authorization: hash, "User-Agent": "podcast-search-mcp/1.2" };
  }

  #get(path, params) {
    const url = new URL(this.#base + path);
    Object.entries(params).forEach(([k, v]) => url.searchParams.set(k, String(v)));
    return fetch(url, { headers: this.#authHeaders() }).then((res) => {
      if (!res.ok) throw new Error(`directory ${res.status}`);
      return res.json();
    });
  }

  search(term) {
    return this.#get("/search/byterm", { q: term, max: 20 }).then((j) => j.feeds);
  }

  episodes(feedId, max = 10) {
    return this.#get("/episodes/byfeedid", { id: feedId, max }).then((j) => j.items);
  }
}
