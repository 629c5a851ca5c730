// The image and the compose file keep their hardening (issue 7 §6): non-root user, code owned
// by root, a read-only root filesystem with only the data folder (and /tmp) writable, no
// capabilities, and a stop grace period longer than the shutdown deadline.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig, projectRoot } from '../../src/config.js';

const root = projectRoot();

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
