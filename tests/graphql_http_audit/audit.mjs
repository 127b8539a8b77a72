// Runs graphql-http's server audits against the URL given as the first argument and prints
// one JSON line per audit: {"id", "name", "status": "ok"|"warn"|"error", "reason"}.
// Headers to send with every request (a session cookie) come as JSON in the second argument.
import { serverAudits } from 'graphql-http';

const [url, headersJson] = process.argv.slice(2);
const extraHeaders = headersJson ? JSON.parse(headersJson) : {};

async function fetchWithHeaders(input, init = {}) {
  const headers = new Headers(init.headers);
  for (const [name, value] of Object.entries(extraHeaders)) headers.set(name, value);
  return fetch(input, { ...init, headers });
}

for (const audit of serverAudits({ url, fetchFn: fetchWithHeaders })) {
  const result = await audit.fn();
  const line = { id: audit.id, name: audit.name, status: result.status };
  if (result.status !== 'ok') line.reason = result.reason;
  console.log(JSON.stringify(line));
}
