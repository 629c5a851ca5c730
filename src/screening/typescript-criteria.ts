// A study whose study.yaml says `typescriptCriteria: true` has criteria written in TypeScript,
// in src/criteria/<study id>/: index.ts exports STUDY_CODE (criteria/types.ts StudyCode) and the
// light facts.ts exports STUDY_FACTS (its code version and its entry criterion's value sets),
// which the nightly finder's main thread reads without loading the criteria. They are found by
// the study's id, so no list names a study. The id becomes part of a path only after it matches
// study.yaml's id pattern (no dot, no slash) and names its folder. The modules sit beside this
// one in the form it runs in: `.ts` under tsx and vitest, `.js` once compiled.
// A declared module that is missing, or lacks its export, stops start-up naming the file.

import { existsSync, readdirSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { StudyCode, StudyFacts } from '../criteria/types.js';
import { MappingError } from '../mapping/mapping-error.js';
import { readChecked } from '../mapping/read-mapping-file.js';
import { StudyFile } from '../mapping/schema.js';
import { packageRoot } from '../package-root.js';

const HERE = fileURLToPath(import.meta.url);
const CRITERIA_DIR = join(HERE, '..', '..', 'criteria');
const EXTENSION = extname(HERE);
const STUDY_ID = /^[a-z0-9][a-z0-9-]*$/;

/** Where a study's TypeScript criteria module lives: `index` (the criteria) or `facts` (the light part). */
export function typescriptModulePath(studyId: string, module: 'index' | 'facts'): string {
  if (!STUDY_ID.test(studyId)) throw new Error(`'${studyId}' is not a study id`);
  return join(CRITERIA_DIR, studyId, `${module}${EXTENSION}`);
}

/** The study folders under `root` whose study.yaml declares TypeScript criteria, each with a `fail` at that line. */
function declaringStudies(root: string): { id: string; fail: (problem: string) => never }[] {
  const out: { id: string; fail: (problem: string) => never }[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    // `_site` is no study; a folder without study.yaml, or whose id is not its name, is reported by the study loader.
    if (!entry.isDirectory() || entry.name.startsWith('_') || !STUDY_ID.test(entry.name)) continue;
    const dir = join(root, entry.name);
    if (!existsSync(join(dir, 'study.yaml'))) continue;
    let file;
    try {
      file = readChecked(dir, 'study.yaml', StudyFile);
    } catch (error) {
      throw error instanceof MappingError ? error.inFolder(entry.name) : error;
    }
    const study = file.data as StudyFile;
    if (study.typescriptCriteria !== true || study.id !== entry.name) continue;
    const line = file.lineOf('/typescriptCriteria');
    const fail = (problem: string): never => {
      throw new MappingError(`${entry.name}/study.yaml`, '/typescriptCriteria', problem, line);
    };
    out.push({ id: study.id, fail });
  }
  return out;
}

const EXPORTED = { index: 'STUDY_CODE', facts: 'STUDY_FACTS' } as const;

async function importExport(studyId: string, module: 'index' | 'facts', fail: (problem: string) => never): Promise<unknown> {
  const path = typescriptModulePath(studyId, module);
  const shown = relative(packageRoot(), path);
  if (!existsSync(path)) fail(`study ${studyId} declares TypeScript criteria, but ${shown} does not exist`);
  const loaded = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  const value = loaded[EXPORTED[module]];
  if (value === undefined) fail(`${shown} exports no ${EXPORTED[module]}`);
  return value;
}

/** The TypeScript criteria of every study under `root` (fhir-mappings/) that declares them, by study id. */
export async function loadTypescriptCriteria(root: string): Promise<Map<string, StudyCode>> {
  const code = new Map<string, StudyCode>();
  for (const s of declaringStudies(root)) code.set(s.id, (await importExport(s.id, 'index', s.fail)) as StudyCode);
  return code;
}

/** The facts of every study under `root` that declares TypeScript criteria, without loading the criteria. */
export async function loadTypescriptFacts(root: string): Promise<Map<string, StudyFacts>> {
  const facts = new Map<string, StudyFacts>();
  for (const s of declaringStudies(root)) facts.set(s.id, (await importExport(s.id, 'facts', s.fail)) as StudyFacts);
  return facts;
}
