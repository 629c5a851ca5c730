// The nightly finder's main thread reads only the study's identity (screening/study-identity.ts)
// and its screening threads load the whole study: the two must name the same rules. The
// identity equals what the full load computes, an unknown study is undefined, and a pool whose
// threads load a study that changed after the identity was read refuses to start.

import { cpSync, appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ScreenPool } from '../../src/batch/screen-pool.js';
import { readStudyIdentity, StudyConfigurationError } from '../../src/screening/study-identity.js';
import { loadStudies, loadStudy } from '../../src/screening/study-registry.js';
import { CANONICAL_BASE, MAPPINGS_DIR, tempDir } from './helpers.js';

const STUDY = 'belimumab-iim';
const tmp = tempDir('study-identity');
afterAll(() => tmp.remove());

describe('the study identity', () => {
  it('is what loading the whole study computes: id, criteria in order with their types, criteriaVersion', () => {
    const full = loadStudies(MAPPINGS_DIR).get(STUDY)!;
    const identity = readStudyIdentity(MAPPINGS_DIR, STUDY)!;
    expect(identity.id).toBe(full.mapping.id);
    expect(identity.criteriaVersion).toBe(full.criteriaVersion);
    expect(identity.criteria).toEqual(full.criteria.map((c) => ({ id: c.id, type: c.type })));
    expect(readStudyIdentity(MAPPINGS_DIR, 'no-such-study')).toBeUndefined();
  });

  it('is refused with a clear error for a study id with no criteria code, `constructor` included', () => {
    const mappings = join(tmp.dir, 'named');
    cpSync(join(MAPPINGS_DIR, STUDY), join(mappings, 'constructor'), { recursive: true });
    const file = join(mappings, 'constructor', 'study.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^id: .*$/m, 'id: constructor'));
    expect(() => readStudyIdentity(mappings, 'constructor')).toThrow(StudyConfigurationError);
    expect(() => readStudyIdentity(mappings, 'constructor')).toThrow(/study constructor: no criterion has a rule: and no TypeScript criteria are registered for it/);
    expect(() => loadStudy(join(mappings, 'constructor'))).toThrow(/criterion 'inc-age' has no rule: and study constructor has no TypeScript criterion of that id/);
  });

  it('changes with any file of the mapping folder, and a pool started for the old one refuses to start', async () => {
    const mappings = join(tmp.dir, 'mappings');
    cpSync(MAPPINGS_DIR, mappings, { recursive: true });
    const before = readStudyIdentity(mappings, STUDY)!;
    // A comment changes no rule, but criteriaVersion hashes the files as they are.
    appendFileSync(join(mappings, STUDY, 'labs.yaml'), '\n# edited during start-up\n');
    const after = readStudyIdentity(mappings, STUDY)!;
    expect(after.criteriaVersion).not.toBe(before.criteriaVersion);
    await expect(
      ScreenPool.start(1, { mappingsDir: mappings, studies: [{ id: STUDY, criteriaVersion: before.criteriaVersion }], asOf: '2026-10-26', canonicalBase: CANONICAL_BASE }),
    ).rejects.toThrow(/criteria version .* changed during start-up/);
    const pool = await ScreenPool.start(1, { mappingsDir: mappings, studies: [{ id: STUDY, criteriaVersion: after.criteriaVersion }], asOf: '2026-10-26', canonicalBase: CANONICAL_BASE });
    await pool.close();
  });
});
