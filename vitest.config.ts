import { defineConfig } from 'vitest/config';

// Date and criteria logic must not depend on the process time zone: the
// domain tests run again under a zone west of UTC and one at UTC+14.
const TZ_SENSITIVE = ['test/fhir/**/*.test.ts', 'test/mapping/**/*.test.ts', 'test/criteria/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'utc', include: ['test/**/*.test.ts'], env: { TZ: 'UTC' } } },
      { extends: true, test: { name: 'tz-new-york', include: TZ_SENSITIVE, env: { TZ: 'America/New_York' } } },
      { extends: true, test: { name: 'tz-kiritimati', include: TZ_SENSITIVE, env: { TZ: 'Pacific/Kiritimati' } } },
    ],
  },
});
