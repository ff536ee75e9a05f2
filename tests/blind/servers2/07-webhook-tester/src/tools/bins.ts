import { BIN_API } from "../net.js";

export interface CapturedRequest {
  id: string;
  method: string;
  headers: Record<string, string>;
  body: string;
  receivedAt: string;
}

export function readBin(binId: string): Promise<CapturedRequest[]> {
  return fetch(`${BIN_API}/${encodeURIComponent(binId)}/requests?limit=20`)
    .then((r) => {
      if (r.status === 404) throw new Error(`bin ${binId} not found`);
      return r.json() as Promise<{ requests: CapturedRequest[] }>;
    })
    .then((j) => j.requests);
}
