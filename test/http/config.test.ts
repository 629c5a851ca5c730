import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, projectRoot } from '../../src/config.js';

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      allowUnauthenticated: false,
      databaseUrl: undefined,
      dataDir: './data',
      logLevel: 'info',
      bodyLimit: 16 * 1024 * 1024,
      canonicalBase: 'https://fhir-prescreen.org',
      publicUrl: undefined,
      maxEntries: 20_000,
    });
    expect(config.mappingsDir).toBe(join(projectRoot(), 'fhir-mappings'));
    expect(config.ndjsonMaxLines).toBeGreaterThan(0);
  });

  it('reads and converts every variable', () => {
    const config = loadConfig({
      PORT: '9000',
      HOST: '127.0.0.1',
      DATABASE_URL: 'postgres://u:p@db/x',
      DATA_DIR: '/var/lib/prescreen',
      LOG_LEVEL: 'debug',
      BODY_LIMIT: '2048',
      CANONICAL_BASE: 'https://example.org/fhir',
      PUBLIC_URL: 'https://prescreen.example.org',
      MAPPINGS_DIR: '/etc/mappings',
      MAX_ENTRIES: '10',
      NDJSON_MAX_LINES: '5',
      ALLOW_UNAUTHENTICATED: 'true',
    });
    expect(config).toEqual({
      port: 9000,
      host: '127.0.0.1',
      allowUnauthenticated: true,
      databaseUrl: 'postgres://u:p@db/x',
      dataDir: '/var/lib/prescreen',
      logLevel: 'debug',
      bodyLimit: 2048,
      canonicalBase: 'https://example.org/fhir',
      publicUrl: 'https://prescreen.example.org',
      mappingsDir: '/etc/mappings',
      maxEntries: 10,
      ndjsonMaxLines: 5,
      cds: expect.any(Object),
      auth: expect.any(Object),
      limits: expect.any(Object),
    });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' })).toMatchObject({ port: 8080, databaseUrl: undefined });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['LOG_LEVEL', 'verbose'],
    ['BODY_LIMIT', '-1'],
    ['CANONICAL_BASE', 'not a url'],
    ['CANONICAL_BASE', 'https://example.org/'],
    ['PUBLIC_URL', 'ftp://x'],
    ['DATABASE_URL', 'mysql://u:secret@db/x'],
    ['MAX_ENTRIES', '0'],
    ['NDJSON_MAX_LINES', '1.5'],
    ['ALLOW_UNAUTHENTICATED', 'yes'],
  ])('rejects %s=%s with one line naming the variable', (name, value) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain(name);
    expect(message).not.toContain('\n');
    // Values are not echoed: a DATABASE_URL carries a password.
    expect(message).not.toContain('secret');
  });
});

const API_KEYS = JSON.stringify([{ name: 'ehr', sha256: 'a'.repeat(64), scopes: 'system/ResearchSubject.read' }]);

describe('where the service listens (safe by default)', () => {
  it('listens on loopback only when authentication is off, on every interface when it is on', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ AUTH_API_KEYS: API_KEYS }).host).toBe('0.0.0.0');
    expect(loadConfig({ AUTH_API_KEYS: API_KEYS, HOST: '10.1.2.3' }).host).toBe('10.1.2.3');
  });

  it.each(['127.0.0.1', '127.0.0.2', '::1', 'localhost', 'LOCALHOST.'])('allows HOST=%s without authentication', (host) => {
    expect(loadConfig({ HOST: host }).host).toBe(host);
  });

  it.each(['0.0.0.0', '::', '10.1.2.3', 'prescreen.example.org', '::ffff:10.1.2.3'])(
    'refuses HOST=%s without authentication, in one line naming the settings that allow it',
    (host) => {
      let error: unknown;
      try {
        loadConfig({ HOST: host });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      for (const name of ['HOST', 'AUTH_ISSUER', 'AUTH_API_KEYS', 'ALLOW_UNAUTHENTICATED=true']) expect(message).toContain(name);
      expect(message).not.toContain('\n');
      expect(loadConfig({ HOST: host, ALLOW_UNAUTHENTICATED: 'true' })).toMatchObject({ host, allowUnauthenticated: true });
      expect(loadConfig({ HOST: host, AUTH_API_KEYS: API_KEYS }).host).toBe(host);
      expect(() => loadConfig({ HOST: host, ALLOW_UNAUTHENTICATED: 'false' })).toThrow(ConfigError);
    },
  );
});

describe('server start-up', () => {
  it('exits non-zero with one stderr line naming PORT when PORT is bad', async () => {
    const root = projectRoot();
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src', 'server.ts')], {
      cwd: root,
      env: { PATH: process.env['PATH'] ?? '', PORT: 'abc' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).not.toBe(0);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/PORT/);
  });

  it('refuses to listen on every interface without authentication, in one stderr line', async () => {
    const root = projectRoot();
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src', 'server.ts')], {
      cwd: root,
      env: { PATH: process.env['PATH'] ?? '', PORT: '0', HOST: '0.0.0.0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).not.toBe(0);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/HOST.*ALLOW_UNAUTHENTICATED=true/);
  });

  it('starts on every interface with ALLOW_UNAUTHENTICATED=true, and warns at start', async () => {
    const root = projectRoot();
    const dataDir = mkdtempSync(join(tmpdir(), 'prescreen-open-'));
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src', 'server.ts')], {
      cwd: root,
      env: { PATH: process.env['PATH'] ?? '', PORT: '0', HOST: '0.0.0.0', ALLOW_UNAUTHENTICATED: 'true', DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let stdout = '';
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          if (stdout.includes('Server listening at')) resolve();
        });
        void exited.then((code) => reject(new Error(`server exited early (${code})`)));
      });
      const warning = stdout
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as { level: number; msg: string; setting?: string })
        .find((entry) => entry.level === 40 && entry.setting === 'ALLOW_UNAUTHENTICATED');
      expect(warning?.msg).toMatch(/AUTHENTICATION IS OFF/);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  it('exits non-zero naming the mappings folder when the study mappings cannot load', async () => {
    const root = projectRoot();
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src', 'server.ts')], {
      cwd: root,
      env: { PATH: process.env['PATH'] ?? '', PORT: '0', MAPPINGS_DIR: join(root, 'no-such-mappings-dir') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).not.toBe(0);
    expect(stderr).toContain('no-such-mappings-dir');
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});
