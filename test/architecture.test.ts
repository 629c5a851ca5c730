// style.md rule 4: the domain (ingest, mapping, criteria, render, screening, fhir) never imports
// fastify, storage or a transport, so every channel screens through the same code; and
// fhirpath is imported by src/mapping only.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', 'src');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : name.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [
    ...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm),
    ...text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm),
    ...text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1]!);
}

function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

const DOMAIN = ['fhir', 'ingest', 'mapping', 'criteria', 'render', 'screening'];
const FORBIDDEN_PACKAGES = /^(fastify|@fastify\/|fastify-plugin|pg$|@electric-sql\/pglite|pino|undici|jose)/;
const FORBIDDEN_FOLDERS = ['storage', 'http', 'cds-hooks', 'batch'];
const OUTSIDE_SRC = ['tools', 'scripts', 'bench', 'test'];

/** Whether a relative import in a file under src/ reaches into one of OUTSIDE_SRC. */
function importsOutsideSrc(file: string, spec: string): boolean {
  if (!spec.startsWith('.')) return false;
  const target = relative(SRC, join(file, '..', spec));
  return OUTSIDE_SRC.some((f) => target === join('..', f) || target.startsWith(join('..', f, '/')));
}

describe('import boundaries', () => {
  for (const folder of DOMAIN) {
    it(`src/${folder} imports no framework, storage or transport`, () => {
      const offences: string[] = [];
      for (const file of filesUnder(join(SRC, folder))) {
        for (const spec of importsOf(file)) {
          const name = relative(SRC, file);
          if (FORBIDDEN_PACKAGES.test(spec)) offences.push(`${name} imports ${spec}`);
          if (spec.startsWith('.')) {
            const target = relative(SRC, join(file, '..', spec));
            if (FORBIDDEN_FOLDERS.some((f) => target === f || target.startsWith(`${f}/`))) offences.push(`${name} imports ${spec}`);
          }
        }
      }
      expect(offences).toEqual([]);
    });
  }

  // The synthetic-population generator is tooling (tools/cohort): tests, benchmarks and
  // scripts use it, the service never does, so the build ships none of it.
  it('nothing in src/ imports from tools/, scripts/, bench/ or test/', () => {
    const offences: string[] = [];
    for (const file of filesUnder(SRC)) {
      for (const spec of importsOf(file)) {
        if (importsOutsideSrc(file, spec)) offences.push(`${relative(SRC, file)} imports ${spec}`);
      }
    }
    expect(offences).toEqual([]);
  });

  it('only src/mapping imports fhirpath', () => {
    const offences = filesUnder(SRC)
      .filter((f) => !relative(SRC, f).startsWith('mapping/'))
      .filter((f) => importsOf(f).some((s) => s === 'fhirpath' || s.startsWith('fhirpath/')))
      .map((f) => relative(SRC, f));
    expect(offences).toEqual([]);
  });

  it('only src/config.ts (and the batch CLI settings) read process.env', () => {
    const offences = filesUnder(SRC)
      .filter((f) => /process\.env/.test(withoutComments(readFileSync(f, 'utf8'))))
      .map((f) => relative(SRC, f))
      .filter((f) => f !== 'config.ts' && !f.startsWith('batch/'));
    expect(offences).toEqual([]);
  });

  // What any study could use lives in src/criteria/common/ (and the kit); a study's own helpers
  // live in its folder, src/criteria/<study>/, and the shared code never reaches into one.
  it('src/criteria/common and src/criteria/kit import nothing from a study folder', () => {
    const shared = new Set(['common', 'kit']);
    const studyFolders = readdirSync(join(SRC, 'criteria')).filter((n) => !shared.has(n) && statSync(join(SRC, 'criteria', n)).isDirectory());
    expect(studyFolders).toContain('belimumab-iim');
    const offences: string[] = [];
    for (const folder of shared) {
      for (const file of filesUnder(join(SRC, 'criteria', folder))) {
        for (const spec of importsOf(file).filter((s) => s.startsWith('.'))) {
          const target = relative(join(SRC, 'criteria'), join(file, '..', spec));
          if (studyFolders.some((f) => target.startsWith(`${f}/`))) offences.push(`${relative(SRC, file)} imports ${spec}`);
        }
      }
    }
    expect(offences).toEqual([]);
  });

  it('src/criteria/common names no study criterion id', () => {
    // A criterion id in shared code (`thresholds['exc-…']`) ties it to one study's folder.
    const offences = filesUnder(join(SRC, 'criteria', 'common'))
      .filter((f) => /['"`](?:inc|exc)-[a-z0-9-]+['"`]/.test(withoutComments(readFileSync(f, 'utf8'))))
      .map((f) => relative(SRC, f));
    expect(offences).toEqual([]);
  });

  it('the checks above can fail: a forbidden import is recognised', () => {
    expect(FORBIDDEN_PACKAGES.test('fastify')).toBe(true);
    expect(FORBIDDEN_PACKAGES.test('@fastify/swagger')).toBe(true);
    expect(FORBIDDEN_PACKAGES.test('typebox')).toBe(false);
    expect(importsOutsideSrc(join(SRC, 'batch', 'cli.ts'), '../../tools/cohort/write-cohort.js')).toBe(true);
    expect(importsOutsideSrc(join(SRC, 'batch', 'cli.ts'), '../fhir/dates.js')).toBe(false);
  });
});

describe('no study in the engine', () => {
  // A study is a folder of fhir-mappings/: the mapping layer and the nightly finder read what it
  // declares (its entry criterion, its thresholds' shape) and never name its criteria.
  const MAPPINGS = join(import.meta.dirname, '..', 'fhir-mappings');
  const shippedIds = readdirSync(MAPPINGS)
    .filter((name) => !name.startsWith('_') && statSync(join(MAPPINGS, name)).isDirectory())
    .flatMap((name) => [...readFileSync(join(MAPPINGS, name, 'study.yaml'), 'utf8').matchAll(/^\s*-\s*(?:\{\s*)?id:\s*((?:inc|exc)-[a-z0-9-]+)/gm)].map((m) => m[1]!));
  const namePattern = new RegExp(`(?<![a-z0-9-])(${shippedIds.join('|')})(?![a-z0-9-])`);

  it('finds the shipped criterion ids (the check below can fail)', () => {
    expect(shippedIds).toContain('inc-diagnosis');
    expect(namePattern.test("results['inc-diagnosis']")).toBe(true);
    expect(namePattern.test('inc-diagnosis-like')).toBe(false);
  });

  // A study is found from its folder (screening/typescript-criteria.ts): no list, registry or
  // comment elsewhere in src/ names one; its TypeScript, if any, is src/criteria/<study id>/.
  const studyIds = readdirSync(MAPPINGS).filter((name) => !name.startsWith('_') && statSync(join(MAPPINGS, name)).isDirectory());
  const naming = (id: string) => new RegExp(`(?<![a-z0-9-])${id}(?![a-z0-9-])`);

  it('no src/ file outside src/criteria/<study>/ names a study of fhir-mappings/, not even in a comment', () => {
    expect(studyIds).toEqual(expect.arrayContaining(['belimumab-iim', 'glp1-ckd']));
    // The check can fail: a study's own folder does name it.
    expect(filesUnder(join(SRC, 'criteria', 'belimumab-iim')).some((f) => naming('belimumab-iim').test(readFileSync(f, 'utf8')))).toBe(true);
    const offences = filesUnder(SRC).flatMap((file) => {
      const name = relative(SRC, file);
      const text = readFileSync(file, 'utf8');
      return studyIds.filter((id) => !name.startsWith(`criteria/${id}/`) && naming(id).test(text)).map((id) => `${name} names ${id}`);
    });
    expect(offences).toEqual([]);
  });

  for (const folder of ['mapping', 'batch']) {
    it(`src/${folder} names no criterion of a shipped study, not even in a comment`, () => {
      const offences = filesUnder(join(SRC, folder)).flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .flatMap((line, i) => (namePattern.test(line) ? [`${relative(SRC, file)}:${i + 1}: ${line.trim()}`] : [])),
      );
      expect(offences).toEqual([]);
    });
  }
});
