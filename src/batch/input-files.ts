// A Bulk Data output folder: `<Type>.ndjson` or `<Type>.NNN.ndjson` (as real exports name
// them, e.g. Condition.000.ndjson). Anything else in the folder (Synthea's log.ndjson, a
// manifest, our scenarios.ndjson) is not a resource file and is listed as ignored.

import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface InputFile {
  path: string;
  /** The name shown in problem reports: relative to the input folder. */
  name: string;
  type: string;
  bytes: number;
}

export interface InputFolder {
  /** Resource files by type, each type's files in name order. */
  byType: Map<string, InputFile[]>;
  ignored: string[];
}

const RESOURCE_FILE = /^([A-Z][A-Za-z]{1,63})(?:\.(\d+))?\.ndjson$/;

export function listInputFolder(dir: string): InputFolder {
  const byType = new Map<string, InputFile[]>();
  const ignored: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    const stat = statSync(path);
    if (!stat.isFile()) continue;
    const match = RESOURCE_FILE.exec(name);
    if (!match) {
      ignored.push(name);
      continue;
    }
    const type = match[1]!;
    const list = byType.get(type) ?? [];
    list.push({ path, name, type, bytes: stat.size });
    byType.set(type, list);
  }
  return { byType, ignored };
}

export function filesOf(folder: InputFolder, types: readonly string[]): InputFile[] {
  return types.flatMap((type) => folder.byType.get(type) ?? []);
}
