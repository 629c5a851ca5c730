// A Bulk `_since` export is a delta [Bulk Data: Export, `_since`; standards §3]: it is merged
// into the resource store (replace by Type/id, drop the `deleted[]` entries) and the touched
// patients are then screened from their merged records, never from the delta alone.
//
// A delta can only update patients whose whole record is stored. A resource of anyone else is
// ignored, unless it makes that patient a candidate (a diagnosis Condition, or a patient already
// on the worklist without stored resources): their earlier history is not in the delta, so the
// merge is refused and the caller runs a full export instead.

import type { EntryPrefilter } from '../mapping/entry-prefilter.js';
import { MAPPED_RESOURCE_TYPES } from '../mapping/entry-prefilter.js';
import type { RunStorage } from '../storage/open-run-storage.js';
import type { ResourceDelta } from '../storage/run-store.js';
import { filesOf, listInputFolder } from './input-files.js';
import { decodeLine, scanLines } from './line-scanner.js';
import { patientOwner } from './patient-owner.js';
import type { ProblemReport } from './problem-report.js';
import { isResource } from './resource-check.js';
import { typeAndIdOf } from './stored-lines.js';

export type DeltaMerge =
  | { merged: true; touched: Set<string>; upserts: number; deletes: number }
  | { merged: false; newCandidates: number };

export interface DeltaMergeOptions {
  dir: string;
  deletedPaths: readonly string[];
  studyId: string;
  /** Written as the rows' run_id, e.g. `delta:<transactionTime>`. */
  mergeId: string;
  prefilter: EntryPrefilter;
  storage: RunStorage;
  problems: ProblemReport;
}

export async function mergeDeltaFolder(o: DeltaMergeOptions): Promise<DeltaMerge> {
  const known = await o.storage.runs.resourcePatients(o.studyId);
  const listed = new Set([...(await o.storage.runs.storedPatientRefs(o.studyId))].map((ref) => ref.replace(/^Patient\//, '')));
  const delta: ResourceDelta = { upserts: [], shared: [], deletes: [] };
  const newCandidates = new Set<string>();
  const folder = listInputFolder(o.dir);

  for (const file of filesOf(folder, MAPPED_RESOURCE_TYPES)) {
    await scanLines(file.path, {
      line(bytes, start, end, line) {
        const decoded = decodeLine(bytes, start, end, line);
        if (!decoded.ok) return o.problems.add({ file: file.name, line, reason: decoded.reason });
        const resource = decoded.value;
        if (!isResource(resource)) return o.problems.add({ file: file.name, line, reason: 'not-a-resource' });
        const key = typeAndIdOf(resource, decoded.text);
        if (!key) return;
        if (resource.resourceType === 'Medication') return void delta.shared.push({ ...key, line: decoded.text });
        const owner = patientOwner(resource);
        if (owner === undefined) return;
        if (owner === 'no-patient-reference' || owner === 'not-patient-data') {
          return o.problems.add({ file: file.name, line, reason: owner });
        }
        if (known.has(owner)) return void delta.upserts.push({ ...key, patientId: owner, line: decoded.text });
        if (listed.has(owner) || (resource.resourceType === 'Condition' && o.prefilter.matches(resource))) newCandidates.add(owner);
      },
      tooLong: (line) => o.problems.add({ file: file.name, line, reason: 'line-too-long' }),
    });
  }
  if (newCandidates.size > 0) return { merged: false, newCandidates: newCandidates.size };

  for (const [n, path] of o.deletedPaths.entries()) {
    const name = `deleted.${String(n).padStart(3, '0')}.ndjson`;
    await scanLines(path, {
      line(bytes, start, end, line) {
        const decoded = decodeLine(bytes, start, end, line);
        if (!decoded.ok) return o.problems.add({ file: name, line, reason: decoded.reason });
        const bundle = decoded.value as { resourceType?: unknown; entry?: unknown };
        if (bundle.resourceType !== 'Bundle' || !Array.isArray(bundle.entry)) {
          return o.problems.add({ file: name, line, reason: 'not-a-resource' });
        }
        for (const entry of bundle.entry as { request?: { method?: unknown; url?: unknown } }[]) {
          const url = entry.request?.url;
          const match = typeof url === 'string' ? /^(?:.*\/)?([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]*)?$/.exec(url) : null;
          if (match) delta.deletes.push({ type: match[1]!, id: match[2]! });
        }
      },
      tooLong: (line) => o.problems.add({ file: name, line, reason: 'line-too-long' }),
    });
  }
  const touched = await o.storage.runs.mergeDelta(o.studyId, o.mergeId, delta);
  return { merged: true, touched, upserts: delta.upserts.length + delta.shared.length, deletes: delta.deletes.length };
}
