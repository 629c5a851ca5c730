// E19 (`exc-suicide-risk`): `met` if suicidal behaviour (a suicide attempt or intentional
// self-harm) is active or its onset, recorded date or abatement lies within 6 months before D;
// or if suicidal ideation is active or dated within 2 months before D. Otherwise `unknown`,
// manual: the investigator assesses the risk (a record straddling a window's edge is named in
// the reason, but the investigator's assessment is what remains either way).

import { summariseConditionWindow, windowClearsOn } from '../common/condition-window-criterion.js';
import { conditionLabel, listText } from '../common/labels.js';
import { decided, undecided } from '../common/outcome.js';
import { monthsWindow } from '../common/windows.js';
import type { Criterion } from '../types.js';
import { thresholdsOf } from './thresholds.js';

export const criterion: Criterion = {
  id: 'exc-suicide-risk',
  type: 'exclusion',
  evaluate(model) {
    const th = thresholdsOf(model)['exc-suicide-risk'];
    const parts = [
      { name: 'suicidal behaviour', window: monthsWindow(model.asOf, th.behaviourMonths), concepts: ['suicidal-behaviour'] },
      { name: 'suicidal ideation', window: monthsWindow(model.asOf, th.ideationMonths), concepts: ['suicidal-ideation'] },
    ].map((p) => ({ ...p, ...summariseConditionWindow(model, p.concepts, p.window) }));

    const hits = parts.flatMap((p) => p.hits.map((r) => ({ part: p, r })));
    const text = (p: (typeof parts)[number], r: (typeof hits)[number]['r']): string => `${p.name} ${conditionLabel(r.dx)}: ${r.detail}`;
    if (hits.length > 0) {
      const clearsOn = windowClearsOn(hits.map((h) => h.r));
      const items = hits.map((h) => `${text(h.part, h.r)} (window ${h.part.window.label}, since ${h.part.window.from})`);
      return decided('met', `${listText(items)}${clearsOn ? `; the window clears on ${clearsOn}` : ''}`, hits.map((h) => h.r.dx.ref), clearsOn);
    }
    const notes = parts.flatMap((p) => [
      ...p.open.map((r) => `${text(p, r)} (cannot be placed against the ${p.window.label} window)`),
      ...p.outside.map((r) => `${text(p, r)} (before the ${p.window.label} window)`),
    ]);
    const refs = parts.flatMap((p) => [...p.open, ...p.outside].map((r) => r.dx.ref));
    return undecided(
      `no suicidal behaviour within ${th.behaviourMonths} months or ideation within ${th.ideationMonths} months on record${notes.length > 0 ? ` (${listText(notes)})` : ''}: the investigator assesses the risk at screening`,
      { manual: true, evidence: refs },
    );
  },
};
