// build(): a ready app on in-memory PGlite with a log sink, closed when the test finishes
// (style.md rule 2). Tests talk to it with app.inject.

import type { FastifyInstance } from 'fastify';
import { onTestFinished } from 'vitest';
import { buildApp } from '../../src/app.js';
import type { HostLookup } from '../../src/cds-hooks/fhir-origin.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/http/logger.js';
import { loadStudies, type ScreeningStudy } from '../../src/screening/study-registry.js';
import type { Store } from '../../src/storage/store.js';
import { createLogSink, type LogSink } from './log-sink.js';
import { openTestStore } from './test-store.js';

export interface BuildOptions {
  /** Settings over the defaults, as if from the environment. */
  env?: Record<string, string>;
  /** A store to use instead of a fresh in-memory one (e.g. one that fails). */
  store?: Store;
  studies?: ReadonlyMap<string, ScreeningStudy>;
  /** Resolves CDS fhirServer host names instead of DNS, so no test queries the network. */
  hostLookup?: HostLookup;
}

export interface Built {
  app: FastifyInstance;
  store: Store;
  config: Config;
  logs: LogSink;
}

let studies: Promise<Map<string, ScreeningStudy>> | undefined;

/** Loaded once per test file: compiling the mappings is the slow part of start-up. */
export function testStudies(): Promise<Map<string, ScreeningStudy>> {
  studies ??= loadStudies(loadConfig({}).mappingsDir);
  return studies;
}

export async function build(options: BuildOptions = {}): Promise<Built> {
  // An explicit env: the developer's shell must not change what tests see.
  const config = loadConfig({ LOG_LEVEL: 'trace', ...options.env });
  if (options.hostLookup) config.cds.hostLookup = options.hostLookup;
  const logs = createLogSink();
  // PostgreSQL when TEST_DATABASE_URL is set (a fresh schema each, fast), else in-memory PGlite.
  const store = options.store ?? (await openTestStore());
  const app = buildApp({
    config,
    store,
    studies: options.studies ?? (await testStudies()),
    logger: createLogger(config.logLevel, logs),
  });
  onTestFinished(async () => {
    await app.close();
    await store.close();
  });
  await app.ready();
  return { app, store, config, logs };
}
