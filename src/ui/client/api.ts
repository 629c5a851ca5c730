// Requests to the service, with the coordinator's access token (when one is set) as a bearer
// token. The token lives in sessionStorage: gone when the tab closes, never in a URL or cookie.

const TOKEN_KEY = 'fhir-prescreen.token';

export function token(): string | undefined {
  try {
    return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

export function setToken(value: string | undefined): void {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The first OperationOutcome issue's text, or a plain description of the status. */
async function failure(response: Response): Promise<ApiError> {
  let text = `The service answered ${response.status}.`;
  try {
    const body = (await response.json()) as { issue?: { diagnostics?: string; details?: { text?: string } }[] };
    const issue = body.issue?.[0];
    text = issue?.details?.text ?? issue?.diagnostics ?? text;
  } catch {
    // not JSON: keep the status text
  }
  if (response.status === 401) text = 'Sign-in required: paste an access token above and press Use.';
  if (response.status === 403) text = 'This access token may not do that.';
  return new ApiError(response.status, text);
}

async function send(path: string, init: RequestInit, accept: string): Promise<unknown> {
  const headers = new Headers(init.headers);
  headers.set('accept', accept);
  const bearer = token();
  if (bearer) headers.set('authorization', `Bearer ${bearer}`);
  const response = await fetch(path, { ...init, headers, cache: 'no-store' });
  if (!response.ok) throw await failure(response);
  return response.json();
}

export function getFhir<T>(path: string): Promise<T> {
  return send(path, { method: 'GET' }, 'application/fhir+json') as Promise<T>;
}

export function getJson<T>(path: string): Promise<T> {
  return send(path, { method: 'GET' }, 'application/json') as Promise<T>;
}

export function postJson<T>(path: string, body: unknown): Promise<T> {
  return send(
    path,
    { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } },
    'application/json',
  ) as Promise<T>;
}
