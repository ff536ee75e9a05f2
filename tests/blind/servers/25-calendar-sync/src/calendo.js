import { Client } from 'undici';

// Calendo runs on the office server, reachable over IPv6 only
const CALENDO_ORIGIN = process.env.CALENDO_ORIGIN || 'http://[2001:db8:85a3::10]:8080';

const client = new Client(CALENDO_ORIGIN, { keepAliveTimeout: 30_000 });
const auth = () => ({ authorization: 'Basic ' + Buffer.from(`${process.env.CALENDO_USER}:${process.env.CALENDO_PASS}`).toString('base64') });

export async function freeBusy(calendar, from, to) {
  const { body } = await client.request({
    method: 'GET',
    path: `/api/calendars/${encodeURIComponent(calendar)}/freebusy?from=${from}&to=${to}`,
    headers: auth(),
  });
  return body.json();
}

export async function createEvent(calendar, event) {
  const { statusCode, body } = await client.request({
    method: 'POST',
    path: `/api/calendars/${encodeURIComponent(calendar)}/events`,
    headers: { ...auth(), 'content-type': 'application/json' },
    body: JSON.stringify(event),
  });
  if (statusCode !== 201) throw new Error(`Calendo said ${statusCode}: ${await body.text()}`);
  return body.json();
}
