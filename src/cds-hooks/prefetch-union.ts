// The prefetch templates of a service that screens several studies: every study's templates
// (prefetch-templates.ts), each query once. A query two studies share keeps one key; a key that
// another study already gave a different query is suffixed with the study id, so no key names
// two queries. The templates are the studies' own strings, so each stays under the URL length
// a study's templates keep to.

import type { PrefetchTemplate } from './prefetch-templates.js';

export interface StudyTemplates {
  studyId: string;
  templates: readonly PrefetchTemplate[];
}

export interface UnionTemplate extends PrefetchTemplate {
  /** The studies whose own templates include this query, in the order given. */
  studies: string[];
}

export function unionTemplates(perStudy: readonly StudyTemplates[]): UnionTemplate[] {
  const byQuery = new Map<string, UnionTemplate>();
  const keys = new Set<string>();
  for (const { studyId, templates } of perStudy) {
    for (const t of templates) {
      const same = byQuery.get(t.template);
      if (same) {
        if (!same.studies.includes(studyId)) same.studies.push(studyId);
        continue;
      }
      let key = keys.has(t.key) ? `${t.key}-${studyId}` : t.key;
      for (let n = 2; keys.has(key); n++) key = `${t.key}-${studyId}-${n}`;
      keys.add(key);
      byQuery.set(t.template, { key, template: t.template, studies: [studyId] });
    }
  }
  return [...byQuery.values()];
}
