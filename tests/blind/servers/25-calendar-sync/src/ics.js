// Import a public ICS feed (holidays, sports fixtures...) given by the user.
export async function fetchIcs(url) {
  const res = await fetch(url, { headers: { accept: 'text/calendar' } });
  if (!res.ok) throw new Error(`ICS feed returned ${res.status}`);
  const text = await res.text();
  return text
    .split('BEGIN:VEVENT')
    .slice(1)
    .map((chunk) => ({
      summary: /SUMMARY:(.*)/.exec(chunk)?.[1]?.trim(),
      start: /DTSTART[^:]*:(\S+)/.exec(chunk)?.[1],
    }));
}
