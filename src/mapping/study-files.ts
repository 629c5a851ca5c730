// A study's mapping files come from two folders: the site folder `_site/` beside the study
// folders (what every study of the site shares: code systems, routes, timing words,
// interpretation codes, the FHIRPath of extract.yaml, shared value sets and labs) and the study's
// own folder. A file may sit in either or both; in both, the study adds its own entries (value
// sets, labs, agents, …) and sections to the site's.
//
// A study may not redefine what the site defines: the same id would then mean different codes in
// two studies of one site, and a site correcting its shared copy would silently not reach that
// study. A clash stops start-up naming both files; a study that needs other codes names its own
// value set.

import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Type, type TObject, type TSchema } from 'typebox';
import { MappingError } from './mapping-error.js';
import { checkShape, hashFolder, readChecked, type CheckedFile } from './read-mapping-file.js';

/** The site folder's name; the study loader skips folders starting with `_`. */
export const SITE_FOLDER = '_site';

/**
 * Where a file's members are entries merged by id: '' for the top level, else the top-level key
 * that holds them. Every other top-level key is a section that comes whole from one folder.
 */
const ENTRY_LEVELS: ReadonlyMap<string, readonly string[]> = new Map([
  ['systems.yaml', ['']],
  ['value-sets.yaml', ['']],
  ['labs.yaml', ['']],
  ['assessments.yaml', ['']],
  ['medications.yaml', ['agents', 'classes']],
]);

export interface MergedFile {
  data: unknown;
  /**
   * The error re-attributed to the file that defines the member its path lies in: a site entry's
   * problem names `_site/<file>` (and its line), the study's keeps the plain name.
   */
  place(error: MappingError): MappingError;
}

/** The site folder beside a study folder, when there is one. */
export function siteDirOf(studyDir: string): string | undefined {
  const dir = join(dirname(studyDir), SITE_FOLDER);
  return existsSync(dir) && statSync(dir).isDirectory() ? dir : undefined;
}

interface Part {
  label: string;
  file: CheckedFile;
}

/**
 * Reads `name` from the site folder and the study folder, checks each part and then the merged
 * file against `schema` (an object shape for a file of sections, a record for one of entries).
 */
export function readStudyFile(studyDir: string, name: string, schema: TSchema): MergedFile {
  const levels = ENTRY_LEVELS.get(name) ?? [];
  const partSchema = levels.includes('') ? schema : Type.Partial(schema as TObject);
  const siteDir = siteDirOf(studyDir);
  const parts: Part[] = [];
  if (siteDir && existsSync(join(siteDir, name))) {
    try {
      parts.push({ label: `${SITE_FOLDER}/${name}`, file: readChecked(siteDir, name, partSchema) });
    } catch (error) {
      throw error instanceof MappingError ? error.inFolder(SITE_FOLDER) : error;
    }
  }
  if (existsSync(join(studyDir, name)) || parts.length === 0) parts.push({ label: name, file: readChecked(studyDir, name, partSchema) });

  const merged: Record<string, unknown> = {};
  const owner = new Map<string, Part>();
  const claim = (member: string, part: Part): void => {
    const before = owner.get(member);
    if (before) {
      const at = (p: Part) => `${p.label}${lineText(p.file.keyLineOf(member))}`;
      throw new MappingError(name, member, `'${member.slice(1)}' is defined in both ${at(before)} and ${at(part)}; a study may add to the site folder but not redefine what it defines`, part.file.keyLineOf(member));
    }
    owner.set(member, part);
  };
  for (const part of parts) {
    for (const [k, v] of Object.entries(part.file.data as Record<string, unknown>)) {
      if (levels.includes('')) {
        claim(`/${k}`, part);
        setOwn(merged, k, v);
      } else if (levels.includes(k)) {
        if (!Object.hasOwn(merged, k)) setOwn(merged, k, {});
        const into = merged[k] as Record<string, unknown>;
        for (const [id, entry] of Object.entries(v as Record<string, unknown>)) {
          claim(`/${k}/${id.replaceAll('~', '~0').replaceAll('/', '~1')}`, part);
          setOwn(into, id, entry);
        }
      } else {
        claim(`/${k}`, part);
        setOwn(merged, k, v);
      }
    }
  }

  const partOf = (path: string): Part | undefined => {
    const segments = path.split('/').slice(1);
    const depth = levels.includes(segments[0] ?? '') ? 2 : 1;
    return owner.get(`/${segments.slice(0, depth).join('/')}`);
  };
  const place = (error: MappingError): MappingError => {
    const part = partOf(error.path);
    if (!part) return error;
    return new MappingError(part.label, error.path, error.problem, error.line ?? part.file.lineOf(error.path));
  };
  // What only the whole file can break: a section that neither folder gives.
  const note = parts.length > 1 ? ` (in neither ${parts.map((p) => p.label).join(' nor ')})` : '';
  const lineOf = (path: string) => partOf(path)?.file.lineOf(path);
  checkShape(parts.at(-1)!.label, schema, merged, lineOf, note);
  return { data: merged, place };
}

/** sha256 of the site folder's YAML and the study folder's: criteriaVersion changes with either. */
export function studyContentHash(studyDir: string): string {
  const siteDir = siteDirOf(studyDir);
  if (!siteDir) return hashFolder(studyDir);
  return createHash('sha256').update(hashFolder(siteDir)).update('\0').update(hashFolder(studyDir)).digest('hex');
}

function lineText(line: number | undefined): string {
  return line === undefined ? '' : ` line ${line}`;
}

/** An own property, even for a key such as `__proto__` (keys come from the YAML). */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
