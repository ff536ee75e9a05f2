import fetch from 'node-fetch';

const API_ROOT = process.env.TRACKLY_URL ?? 'https://trackly.example.org/api/v3/';

function authHeaders() {
  const token = process.env.TRACKLY_TOKEN;
  return token ? { Authorization: `Bearer ${token}` } : {};
}

export async function searchIssues(project, query, state = 'open') {
  const url = new URL(`projects/${encodeURIComponent(project)}/issues`, API_ROOT);
  url.searchParams.set('q', query);
  url.searchParams.set('state', state);
  url.searchParams.set('per_page', '25');
  const res = await fetch(url, { headers: authHeaders() });
  if (!res.ok) throw new Error(`Trackly returned ${res.status}`);
  return res.json();
}

export async function getIssue(project, number) {
  const res = await fetch(API_ROOT + 'projects/' + encodeURIComponent(project) + '/issues/' + number, {
    headers: authHeaders(),
  });
  return res.json();
}

export async function createIssue(project, title, body, labels) {
  const res = await fetch(new URL(`projects/${project}/issues`, API_ROOT), {
    method: 'POST',
    headers: { ...authHeaders(), 'Content-Type': 'application/json' },
    body: JSON.stringify({ title, body, labels }),
  });
  return res.json();
}
