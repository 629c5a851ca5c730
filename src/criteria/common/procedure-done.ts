// A procedure counts as done unless its status says it was not (or not yet) performed: I7 and
// I11 read hysterectomies, oophorectomies, biopsies and MRIs the same way.

import type { ProcedureRecord } from '../../mapping/model.js';

const NOT_DONE = new Set(['not-done', 'entered-in-error', 'preparation', 'stopped']);

export function procedureDone(p: ProcedureRecord): boolean {
  return !(p.status !== undefined && NOT_DONE.has(p.status));
}
