// A FHIR server stand-in on 127.0.0.1:0 (standards §5): it serves the reads and searches a CDS
// service's prefetch templates make, from a list of resources, and counts every request.
// Behaviour is switched per test: slow answers, a status for every request, paging, redirects.

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Json = Record<string, unknown>;

export interface FakeFhirOptions {
  /** Milliseconds to wait before answering. */
  delayMs: number;
  /** Answer every request with this status (and an OperationOutcome). */
  failStatus: number | undefined;
  /** Page size for searches (a `next` link when more remain); undefined = one page. */
  pageSize: number | undefined;
  /** Answer every request with a 302 to this URL. */
  redirectTo: string | undefined;
}

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
}

export interface FakeFhirServer {
  /** The FHIR base, e.g. http://127.0.0.1:40123/fhir */
  base: string;
  origin: string;
  options: FakeFhirOptions;
  requests: RecordedRequest[];
  resources: Json[];
  close(): Promise<void>;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function codings(concept: unknown): { system?: unknown; code?: unknown }[] {
  if (!isObject(concept) || !Array.isArray(concept['coding'])) return [];
  return concept['coding'].filter(isObject);
}

/** token search: `system|code` or `code`, comma = OR. */
function matchesToken(concepts: unknown[], param: string): boolean {
  const wanted = param.split(',');
  return concepts.some((concept) =>
    codings(concept).some((c) =>
      wanted.some((w) => {
        const bar = w.indexOf('|');
        return bar < 0 ? c.code === w : c.system === w.slice(0, bar) && c.code === w.slice(bar + 1);
      }),
    ),
  );
}

function patientOf(resource: Json): string | undefined {
  const ref = resource['resourceType'] === 'AllergyIntolerance' ? resource['patient'] : resource['subject'];
  return isObject(ref) && typeof ref['reference'] === 'string' ? ref['reference'] : undefined;
}

export async function startFakeFhirServer(resources: Json[], options: Partial<FakeFhirOptions> = {}): Promise<FakeFhirServer> {
  const state: FakeFhirOptions = { delayMs: 0, failStatus: undefined, pageSize: undefined, redirectTo: undefined, ...options };
  const requests: RecordedRequest[] = [];
  const pages = new Map<string, Json[]>();
  let base = '';

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/fhir+json' });
    res.end(JSON.stringify(body));
  };
  const outcome = (code: string) => ({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code }] });

  const page = (all: Json[], offset: number): Json => {
    const size = state.pageSize ?? all.length;
    const slice = all.slice(offset, offset + Math.max(size, 1));
    const bundle: Json = {
      resourceType: 'Bundle',
      type: 'searchset',
      total: all.length,
      entry: slice.map((r) => ({ fullUrl: `${base}/${String(r['resourceType'])}/${String(r['id'])}`, resource: r, search: { mode: 'match' } })),
    };
    if (offset + slice.length < all.length) {
      const id = randomUUID();
      pages.set(id, all);
      bundle['link'] = [{ relation: 'next', url: `${base}/_page?set=${id}&offset=${offset + slice.length}` }];
    }
    return bundle;
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    requests.push({ method: req.method ?? '', path: `${url.pathname}${url.search}`, authorization: req.headers.authorization });
    if (state.redirectTo) {
      res.writeHead(302, { location: state.redirectTo });
      res.end();
      return;
    }
    if (state.failStatus !== undefined) return send(res, state.failStatus, outcome('exception'));
    const path = url.pathname.replace(/^\/fhir\/?/, '').split('/');
    if (path[0] === '_page') {
      const all = pages.get(url.searchParams.get('set') ?? '');
      if (!all) return send(res, 404, outcome('not-found'));
      return send(res, 200, page(all, Number(url.searchParams.get('offset'))));
    }
    const [type, id] = path;
    if (id !== undefined) {
      const found = resources.find((r) => r['resourceType'] === type && r['id'] === id);
      return found ? send(res, 200, found) : send(res, 404, outcome('not-found'));
    }
    const patient = url.searchParams.get('patient');
    const code = url.searchParams.get('code');
    const conclusion = url.searchParams.get('conclusion');
    const all = resources.filter((r) => {
      if (r['resourceType'] !== type) return false;
      if (patient !== null && patientOf(r) !== `Patient/${patient}`) return false;
      if (code !== null && !matchesToken([r['code'], ...(Array.isArray(r['component']) ? r['component'].map((c: Json) => c['code']) : [])], code)) return false;
      if (conclusion !== null && !matchesToken(Array.isArray(r['conclusionCode']) ? r['conclusionCode'] : [], conclusion)) return false;
      return true;
    });
    return send(res, 200, page(all, 0));
  };

  const server: Server = createServer((req, res) => {
    if (state.delayMs > 0) setTimeout(() => handle(req, res), state.delayMs).unref();
    else handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  base = `${origin}/fhir`;
  return {
    base,
    origin,
    options: state,
    requests,
    resources,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
