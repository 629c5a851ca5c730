// The only place that listens: config → logger → studies → store → app → listen, and a
// graceful close on SIGTERM/SIGINT. Start-up problems end the process with one clear line.

import { buildApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger } from './http/logger.js';
import { isLoopbackHost } from './http/loopback.js';
import { loadStudies } from './screening/study-registry.js';
import { DataDirInUseError } from './storage/data-dir-lock.js';
import { openStore } from './storage/open-store.js';

function fail(message: string): never {
  process.stderr.write(`fhir-prescreen: ${message}\n`);
  process.exit(1);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  const logger = createLogger(config.logLevel);
  if (!config.auth.enabled && !isLoopbackHost(config.host)) {
    // Only reachable with ALLOW_UNAUTHENTICATED=true (config.ts refuses it otherwise).
    logger.warn(
      { host: config.host, setting: 'ALLOW_UNAUTHENTICATED' },
      'AUTHENTICATION IS OFF on a network interface: anyone who can reach this port can read the worklist and notes and screen patients; set AUTH_ISSUER or AUTH_API_KEYS',
    );
  }

  let studies;
  try {
    studies = await loadStudies(config.mappingsDir);
  } catch (error) {
    // Mapping files are ours, not patient data: their problems are safe to print.
    fail(`cannot load the study mappings from ${config.mappingsDir}: ${describe(error)}`);
  }

  let store;
  try {
    store = await openStore(
      config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir, role: 'the fhir-prescreen service' },
    );
  } catch (error) {
    // Names the process holding DATA_DIR, and PostgreSQL as the way to run both.
    if (error instanceof DataDirInUseError) fail(error.message);
    // Not the message: a connection error may echo the URL and its password.
    fail(`cannot open storage (${config.databaseUrl ? 'DATABASE_URL' : `DATA_DIR ${config.dataDir}`}): ${(error as { code?: string }).code ?? 'connection failed'}`);
  }

  const app = buildApp({ config, store, studies, logger });
  let closing = false;
  // Graceful close: stop accepting (new requests on open connections get 503, idle keep-alive
  // connections end at their keep-alive timeout), let in-flight requests finish up to SHUTDOWN_TIMEOUT_MS, then cut
  // what is left, close the store and exit. A second signal does not restart the sequence.
  const close = async (signal: string) => {
    if (closing) return;
    closing = true;
    const deadlineMs = config.limits.shutdownTimeoutMs;
    logger.info({ signal, deadlineMs }, 'shutting down');
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      logger.warn({ deadlineMs }, 'shutdown deadline passed; closing open connections');
      app.server.closeAllConnections();
    }, deadlineMs);
    timer.unref();
    try {
      await app.close();
      clearTimeout(timer);
      await store.close();
      logger.info({ timedOut }, 'shut down');
      process.exit(timedOut ? 1 : 0);
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      await store.close().catch(() => undefined);
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void close('SIGTERM'));
  process.once('SIGINT', () => void close('SIGINT'));

  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await store.close().catch(() => undefined);
    fail(`cannot listen on ${config.host}:${config.port}: ${(error as { code?: string }).code ?? describe(error)}`);
  }
}

main().catch((error: unknown) => {
  fail(`start-up failed: ${error instanceof Error ? error.name : 'unknown error'}`);
});
