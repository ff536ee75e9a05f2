import ky, { type KyInstance } from "ky";
import { REGION_ENDPOINTS, type Region } from "./regions.js";

export interface Translation {
  text: string;
  detectedSource?: string;
  model: string;
}

export interface Glossary {
  name: string;
  entries: Record<string, string>;
}

export class PolyglotClient {
  private readonly http: KyInstance;

  constructor(
    private readonly apiKey: string,
    readonly region: Region = "us",
  ) {
    this.http = ky.create({
      prefixUrl: `${REGION_ENDPOINTS[region]}/v2`,
      headers: { Authorization: `DeepKey ${apiKey}` },
      timeout: 20_000,
      retry: { limit: 2, methods: ["get", "post"] },
    });
  }

  async translate(text: string, target: string, source?: string, glossary?: Glossary): Promise<Translation> {
    return this.http
      .post("translate", {
        json: {
          text: [text],
          target_lang: target.toUpperCase(),
          source_lang: source?.toUpperCase(),
          glossary: glossary?.entries,
        },
      })
      .json<Translation>();
  }

  async detect(text: string): Promise<{ language: string; confidence: number }> {
    return this.http.post("detect", { json: { text } }).json();
  }

  async languages(): Promise<Array<{ code: string; name: string }>> {
    return this.http.get("languages").json();
  }

  async usage(): Promise<{ characters: number; limit: number }> {
    return this.http.get("usage").json();
  }
}

/** Glossaries may be hosted anywhere as a simple CSV (term,translation). */
export async function loadGlossary(url: string): Promise<Glossary> {
  const csv = await ky.get(url, { timeout: 10_000 }).text();
  const entries: Record<string, string> = {};
  for (const line of csv.split(/\r?\n/)) {
    const [term, translation] = line.split(",").map((s) => s.trim());
    if (term && translation) entries[term] = translation;
  }
  return { name: new URL(url).pathname.split("/").pop() ?? "glossary", entries };
}
