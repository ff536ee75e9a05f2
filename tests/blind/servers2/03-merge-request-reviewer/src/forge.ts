import got, { type Got } from "got";
import type { Settings } from "./settings.js";

export interface MergeRequest {
  iid: number;
  title: string;
  author: { username: string };
  web_url: string;
}

export function makeForgeClient(s: Settings) {
  const api: Got = got.extend({
    prefixUrl: s.gitApiUrl,
    headers: { "PRIVATE-TOKEN": s.gitToken },
    responseType: "json",
    timeout: { request: 15_000 },
  });
  const proj = (p: string) => encodeURIComponent(p);

  return {
    listOpen: (project: string) =>
      api.get(`projects/${proj(project)}/merge_requests`, { searchParams: { state: "opened" } }).json<MergeRequest[]>(),

    async diff(project: string, iid: number): Promise<string> {
      const changes = await api
        .get(`projects/${proj(project)}/merge_requests/${iid}/changes`)
        .json<{ changes: { new_path: string; diff: string }[] }>();
      return changes.changes.map((c) => `--- ${c.new_path}\n${c.diff}`).join("\n");
    },

    comment: (project: string, iid: number, body: string) =>
      api.post(`projects/${proj(project)}/merge_requests/${iid}/notes`, { json: { body } }).json(),
  };
}

export type ForgeClient = ReturnType<typeof makeForgeClient>;
