// `same-as: { study, criterion }` in a kit rule: another study's criterion, word for word (the
// second study's malignancy and pregnancy rules are the first's). Resolved when the borrowing
// study is loaded, from the lending study's folder beside it:
//   - a criterion with a `rule:` is compiled again here, so the ids it names must be defined by
//     the borrowing folder (a site keeps shared codes in one site folder);
//   - a TypeScript criterion is used as it is, if its study declares it borrowable with the ids
//     it reads (StudyCode.borrowable); it reads the lender's thresholds.yaml, so the numbers
//     are the lender's too.
// A borrowed rule may not borrow in turn (no chains, no cycles). What is borrowed goes into the
// borrower's criteriaVersion (study-identity.ts lenderVersions).

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { compileRule, type CompiledRule, type RuleContext } from '../criteria/kit/rule.js';
import { ruleReferences, sameAsReferences, type ReferenceKind } from '../criteria/kit/rule-references.js';
import type { CriterionType, StudyCode } from '../criteria/types.js';
import type { Thresholds } from '../mapping/model.js';
import { readChecked } from '../mapping/read-mapping-file.js';
import type { RequiredIds } from '../mapping/required-ids.js';
import { StudyFile } from '../mapping/schema.js';
import { readStudyFile } from '../mapping/study-files.js';

/** One id a borrowed criterion reads, which the borrowing folder must define. */
export interface BorrowedId {
  kind: ReferenceKind;
  id: string;
}

export interface Borrowing {
  context: RuleContext;
  /** Ids the criteria resolved so far read; the caller checks them and empties the list. */
  ids: BorrowedId[];
  /** The type of each borrowed criterion, by `study/criterion`. */
  types: Map<string, CriterionType>;
}

const KINDS: readonly [keyof RequiredIds, ReferenceKind][] = [
  ['valueSets', 'value set'],
  ['labs', 'lab'],
  ['measures', 'test'],
  ['agents', 'medication class'],
  ['classes', 'medication class'],
];

export function borrowing(root: string, ownId: string, code: ReadonlyMap<string, StudyCode>): Borrowing {
  const ids: BorrowedId[] = [];
  const types = new Map<string, CriterionType>();
  const sameAs = (study: string, criterion: string): CompiledRule => {
    if (study === ownId) throw new Error(`same-as names this study (${ownId}); name the rule itself`);
    const dir = join(root, study);
    if (!/^[a-z0-9][a-z0-9-]*$/.test(study) || !existsSync(join(dir, 'study.yaml'))) throw new Error(`no study folder '${study}' beside this one`);
    const lender = readChecked(dir, 'study.yaml', StudyFile).data as StudyFile;
    const entry = lender.criteria.find((c) => c.id === criterion);
    if (!entry) throw new Error(`study ${study} has no criterion '${criterion}' (it has ${lender.criteria.map((c) => c.id).join(', ')})`);
    types.set(`${study}/${criterion}`, entry.type);
    if (entry.rule !== undefined) {
      if (sameAsReferences(entry.rule).length > 0) throw new Error(`${study}'s ${criterion} borrows a rule itself; same-as does not chain`);
      for (const r of ruleReferences(entry.rule)) ids.push({ kind: r.kind, id: r.id });
      return compileRule(entry.rule);
    }
    const lenderCode = code.get(study);
    const typed = lenderCode?.criteria.find((c) => c.id === criterion);
    const reads = lenderCode?.borrowable?.get(criterion);
    if (!lenderCode || !typed) throw new Error(`study ${study}'s ${criterion} has neither a rule: nor a TypeScript criterion`);
    if (!reads) throw new Error(`study ${study}'s TypeScript criterion ${criterion} is not declared borrowable (StudyCode.borrowable)`);
    for (const [field, kind] of KINDS) for (const id of reads[field]) ids.push({ kind, id });
    // The lender's thresholds.yaml with the site's part (courses), as its own loader reads it.
    const thresholds = Object.freeze(readStudyFile(dir, 'thresholds.yaml', lenderCode.thresholds).data as Thresholds);
    // The criterion reads its own study's numbers; everything else is the borrower's model.
    return (model) => typed.evaluate({ ...model, thresholds });
  };
  return { context: { sameAs }, ids, types };
}
