export type Json = Record<string, unknown>;

export async function postJson<T>(base: string, path: string, body: Json, apiKey?: string): Promise<T> {
  const res = await fetch(new URL(path, base), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(apiKey ? { 'api-key': apiKey } : {}) },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${res.status} ${res.statusText} from ${path}`);
  return (await res.json()) as T;
}

export async function getJson<T>(base: string, path: string, apiKey?: string): Promise<T> {
  const res = await fetch(`${base.replace(/\/$/, '')}/${path.replace(/^\//, '')}`, {
    headers: apiKey ? { 'api-key': apiKey } : {},
  });
  return (await res.json()) as T;
}
