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
  it('is what loading the whole study computes: id, criteria in order with their types, criteriaVersion', async () => {
    const full = (await loadStudies(MAPPINGS_DIR)).get(STUDY)!;
    const identity = (await readStudyIdentity(MAPPINGS_DIR, STUDY))!;
    expect(identity.id).toBe(full.mapping.id);
    expect(identity.criteriaVersion).toBe(full.criteriaVersion);
    expect(identity.criteria).toEqual(full.criteria.map((c) => ({ id: c.id, type: c.type })));
    expect(await readStudyIdentity(MAPPINGS_DIR, 'no-such-study')).toBeUndefined();
  });

  it('is refused with a clear error for a study id with no criteria code, `constructor` included', async () => {
    const mappings = join(tmp.dir, 'named');
    cpSync(join(MAPPINGS_DIR, STUDY), join(mappings, 'constructor'), { recursive: true });
    const file = join(mappings, 'constructor', 'study.yaml');
    const declared = readFileSync(file, 'utf8').replace(/^id: .*$/m, 'id: constructor');
    // Declaring TypeScript criteria that do not exist names the module it looked for.
    writeFileSync(file, declared);
    await expect(readStudyIdentity(mappings, 'constructor')).rejects.toThrow(
      /constructor\/study\.yaml line \d+ at \/typescriptCriteria: study constructor declares TypeScript criteria, but src\/criteria\/constructor\/facts\.ts does not exist/,
    );
    await expect(loadStudy(join(mappings, 'constructor'))).rejects.toThrow(/but src\/criteria\/constructor\/index\.ts does not exist/);
    // Not declaring them leaves criteria with neither a rule nor code.
    writeFileSync(file, declared.replace(/^typescriptCriteria: true\n/m, ''));
    await expect(readStudyIdentity(mappings, 'constructor')).rejects.toThrow(StudyConfigurationError);
    await expect(readStudyIdentity(mappings, 'constructor')).rejects.toThrow(/study constructor: no criterion has a rule: and it declares no TypeScript criteria \(typescriptCriteria: true\)/);
    await expect(loadStudy(join(mappings, 'constructor'))).rejects.toThrow(/criterion 'inc-age' has no rule: and study constructor has no TypeScript criterion of that id/);
  });

  it('changes with any file of the mapping folder, and a pool started for the old one refuses to start', async () => {
    const mappings = join(tmp.dir, 'mappings');
    cpSync(MAPPINGS_DIR, mappings, { recursive: true });
    const before = (await readStudyIdentity(mappings, STUDY))!;
    // A comment changes no rule, but criteriaVersion hashes the files as they are.
    appendFileSync(join(mappings, STUDY, 'labs.yaml'), '\n# edited during start-up\n');
    const after = (await readStudyIdentity(mappings, STUDY))!;
    expect(after.criteriaVersion).not.toBe(before.criteriaVersion);
    await expect(
      ScreenPool.start(1, { mappingsDir: mappings, studies: [{ id: STUDY, criteriaVersion: before.criteriaVersion }], asOf: '2026-10-26', canonicalBase: CANONICAL_BASE }),
    ).rejects.toThrow(/criteria version .* changed during start-up/);
    const pool = await ScreenPool.start(1, { mappingsDir: mappings, studies: [{ id: STUDY, criteriaVersion: after.criteriaVersion }], asOf: '2026-10-26', canonicalBase: CANONICAL_BASE });
    await pool.close();
  });
});
