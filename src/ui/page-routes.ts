// GET /app (the worklist page) and GET /app/assets/{name} (its stylesheet and browser modules).
// Public even when authentication is on: they hold no data, and a browser cannot put a bearer
// token on a navigation. A strict Content-Security-Policy allows only this origin's scripts,
// styles and fetches: no CDN, no inline script.

import type { FastifyInstance, FastifyReply } from 'fastify';
import Type from 'typebox';
import { OperationOutcomeError } from '../fhir/errors.js';
import { clientModule } from './client-assets.js';
import { pageHtml } from './page-html.js';
import { PAGE_CSS } from './page-style.js';

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function pageHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('x-frame-options', 'DENY')
    .header('cache-control', 'no-cache');
}

export async function pageRoutes(app: FastifyInstance): Promise<void> {
  const html = pageHtml();
  app.get('/app', { schema: { hide: true }, config: { auth: 'public' } }, async (_request, reply) =>
    pageHeaders(reply).type('text/html; charset=utf-8').send(html),
  );

  app.get(
    '/app/assets/:name',
    { schema: { hide: true, params: Type.Object({ name: Type.String() }) }, config: { auth: 'public' } },
    async (request, reply) => {
      const { name } = request.params as { name: string };
      if (name === 'app.css') return pageHeaders(reply).type('text/css; charset=utf-8').send(PAGE_CSS);
      const js = await clientModule(name);
      if (js === undefined) throw new OperationOutcomeError('PRESCREEN_NOT_FOUND');
      return pageHeaders(reply).type('text/javascript; charset=utf-8').send(js);
    },
  );
}
