// The image and the compose file keep their hardening (issue 7 §6): non-root user, code owned
// by root, a read-only root filesystem with only the data folder (and /tmp) writable, no
// capabilities, and a stop grace period longer than the shutdown deadline. Safe by default
// (issue 14 §3): neither serves the network without authentication unless told so by name,
// and compose has no default database password.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ConfigError, loadConfig, projectRoot } from '../../src/config.js';

const root = projectRoot();

/** The runtime stage's ENV settings (`ENV A=1 \\ B=2` lines). */
function imageEnv(): Record<string, string> {
  const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('FROM ')).replace(/\\\n/g, ' ');
  const env: Record<string, string> = {};
  for (const line of runtime.match(/^ENV .*$/gm) ?? []) {
    for (const [, name, value] of line.slice(4).matchAll(/([A-Z_]+)=(\S+)/g)) env[name!] = value!;
  }
  return env;
}

type ComposeService = Record<string, unknown> & { environment?: Record<string, string>; ports?: string[] };

function compose(): { text: string; services: Record<string, ComposeService> } {
  const text = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
  return { text, services: (parse(text) as { services: Record<string, ComposeService> }).services };
}

/** Compose's own substitution for the forms the file uses: ${X}, ${X:?message}, ${X:-default}. */
function substitute(value: string, vars: Record<string, string>): string {
  return value.replace(/\$\{([A-Z_]+)(?::([?-])([^}]*))?\}/g, (_, name: string, kind: string | undefined, rest: string) => {
    const given = vars[name];
    if (given !== undefined && given !== '') return given;
    if (kind === '-') return rest;
    throw new Error(`${name} is required: ${rest}`);
  });
}

describe('container hardening', () => {
  it('the runtime stage runs as the non-root node user, with root-owned code and a /data volume', () => {
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('FROM '));
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).not.toMatch(/^USER root$/m);
    expect(runtime).toMatch(/VOLUME \["\/data"\]/);
    for (const copy of runtime.match(/^COPY .*$/gm) ?? []) expect(copy).toContain('--chown=root:root');
    expect(runtime).toMatch(/^HEALTHCHECK /m);
    expect(runtime).toMatch(/CMD \["node", "dist\/src\/server\.js"\]/);
  });

  it('the image refuses to serve without authentication until the deployment sets it up or opts out by name', () => {
    const env = imageEnv();
    expect(env['HOST']).toBe('0.0.0.0');
    expect(env['ALLOW_UNAUTHENTICATED']).toBe('false');
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(/ALLOW_UNAUTHENTICATED=true/);
    const keys = JSON.stringify([{ name: 'ehr', sha256: 'a'.repeat(64), scopes: 'system/ResearchSubject.read' }]);
    expect(loadConfig({ ...env, AUTH_API_KEYS: keys }).host).toBe('0.0.0.0');
  });

  it('compose has no default database password: it refuses to start without POSTGRES_PASSWORD', () => {
    const { text, services } = compose();
    expect(text).not.toMatch(/PASSWORD:-/);
    expect(text).not.toMatch(/\/\/[^:/\s]+:[^$@\s]+@/);
    const url = services['prescreen']!.environment!['DATABASE_URL']!;
    const password = services['postgres']!.environment!['POSTGRES_PASSWORD']!;
    for (const value of [url, password]) expect(() => substitute(value, {})).toThrow(/POSTGRES_PASSWORD/);
    expect(substitute(url, { POSTGRES_PASSWORD: 's3cret' })).toBe('postgres://prescreen:s3cret@postgres:5432/prescreen');
    expect(substitute(password, { POSTGRES_PASSWORD: 's3cret' })).toBe('s3cret');
  });

  it('compose without authentication says so by name and publishes the port on loopback only', () => {
    const { services } = compose();
    const service = services['prescreen']!;
    const environment = Object.fromEntries(
      Object.entries(service.environment ?? {}).map(([k, v]) => [k, substitute(String(v), { POSTGRES_PASSWORD: 's3cret' })]),
    );
    const config = loadConfig({ ...imageEnv(), ...environment });
    if (!config.auth.enabled) {
      expect(config.allowUnauthenticated).toBe(true);
      expect(service.ports?.length).toBeGreaterThan(0);
      for (const port of service.ports ?? []) expect(port).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
    }
    // The database is reached only on compose's own network.
    expect(services['postgres']!.ports).toBeUndefined();
  });

  it('compose runs the service read-only, capability-free, and waits for a graceful stop', () => {
    const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as { services: Record<string, Record<string, unknown>> };
    const service = compose.services['prescreen']!;
    expect(service['read_only']).toBe(true);
    expect(service['cap_drop']).toEqual(['ALL']);
    expect(service['security_opt']).toContain('no-new-privileges:true');
    expect(service['volumes']).toEqual(expect.arrayContaining([expect.stringMatching(/:\/data$/)]));
    const grace = Number(/^(\d+)s$/.exec(String(service['stop_grace_period']))?.[1]);
    expect(grace * 1000).toBeGreaterThan(loadConfig({}).limits.shutdownTimeoutMs);
  });
});
