// DATABASE_URL carries a password, and error messages end up in logs: everything that names the
// target goes through describeDatabaseUrl, and every driver message through scrubPassword.

/** Parses a postgres:// or postgresql:// URL, or throws an Error that does not repeat the input. */
export function parseDatabaseUrl(databaseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new Error('DATABASE_URL is not a valid URL (expected postgres://user:password@host:port/database).');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new Error(`DATABASE_URL must start with postgres:// or postgresql://, not ${url.protocol}//.`);
  }
  if (url.hostname === '') throw new Error('DATABASE_URL names no host.');
  return url;
}

/** `postgres://user@host:port/database`, never the password nor the query string. */
export function describeDatabaseUrl(url: URL): string {
  const user = url.username === '' ? '' : `${decodeURIComponent(url.username)}@`;
  return `${url.protocol}//${user}${url.host}${url.pathname}`;
}

export function scrubPassword(text: string, url: URL): string {
  if (url.password === '') return text;
  const forms = new Set([url.password, safeDecode(url.password)]);
  let scrubbed = text;
  for (const form of forms) scrubbed = scrubbed.split(form).join('***');
  return scrubbed;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
