// npm run openapi: writes openapi/openapi.json from the route schemas. The document depends
// only on routes and schemas, so the app is built with no studies and an in-memory store; a
// test fails when the committed file drifts from what this writes.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp } from '../src/app.js';
import { loadConfig, projectRoot } from '../src/config.js';
import { createLogger } from '../src/http/logger.js';
import { openApiText } from '../src/http/openapi.js';
import { openStore } from '../src/storage/open-store.js';

export const OPENAPI_PATH = join(projectRoot(), 'openapi', 'openapi.json');

const store = await openStore({ inMemory: true });
const app = buildApp({ config: loadConfig({}), store, studies: new Map(), logger: createLogger('warn') });
try {
  await app.ready();
  mkdirSync(join(projectRoot(), 'openapi'), { recursive: true });
  writeFileSync(OPENAPI_PATH, openApiText(app));
  process.stdout.write(`wrote ${OPENAPI_PATH}\n`);
} finally {
  await app.close();
  await store.close();
}
