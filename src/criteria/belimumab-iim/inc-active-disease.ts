// I5/I6 (`inc-active-disease`): active disease at D from the IMACS core set measures (CSM), each
// the latest within 90 days (assessments.yaml, thresholds.yaml):
//   path A: MMT-8 abnormal and at least 2 other CSM abnormal (physician global, patient global,
//           HAQ-DI, muscle enzymes, extramuscular activity);
//   path B: a DM patient whose MMT-8 is not abnormal (or not recorded), with a cutaneous VAS
//           (MDAAT) > 3 cm, a muscle enzyme ≥ 1.3 × ULN, and at least 1 other CSM among
//           physician global, patient global, HAQ-DI and extramuscular activity abnormal.
// The five enzymes are one CSM: present when any has a value in the window, abnormal when any
// present one meets its threshold (> 1.5 × ULN; ≥ 1.3 × ULN on path B). `not-met` when no path
// can hold even if every missing measure were abnormal; else `unknown`, and missingData names
// the missing measures with the search that would fetch them. Open.

import type { Assessment, EligibilityModel, LabResult } from '../../mapping/model.js';
import { conditionsWith } from '../common/active-condition.js';
import { labLabel, listText } from '../common/labels.js';
import { latestMeasure, measureLabel, queryFor } from '../common/latest-assessment.js';
import { latestLab } from '../common/latest-lab.js';
import { testDisplay } from '../common/missing-data.js';
import { decided, undecided } from '../common/outcome.js';
import { daysWindow, type LookbackWindow } from '../common/windows.js';
import type { Criterion, MissingData } from '../types.js';
import { thresholdsOf } from './thresholds.js';

export const ENZYMES = ['ck', 'aldolase', 'ldh', 'alt', 'ast'];
const EPS = 1e-9;

type State = 'abnormal' | 'normal' | 'missing';

interface Measure {
  name: string;
  state: State;
  text: string;
  refs: string[];
  missing?: MissingData;
}

function fromAssessments(
  model: EligibilityModel,
  window: LookbackWindow,
  ids: string[],
  name: string,
  abnormal: (a: Assessment) => boolean,
  rule: string,
): Measure {
  const r = latestMeasure(model, ids, window.from, name, window.label);
  if (r.latest.length === 0) return { name, state: 'missing', text: r.missingText!, refs: r.seen.map((a) => a.ref), missing: r.missing! };
  const states = new Set(r.latest.map((a) => (abnormal(a) ? 'abnormal' : 'normal')));
  const text = listText(r.latest.map((a) => measureLabel(model, a)));
  if (states.size > 1) {
    const missing: MissingData = { text: `${name}: one confirmed result (conflicting results on the same day)` };
    const query = queryFor(model, ids);
    if (query) missing.query = query;
    return { name, state: 'missing', text: `conflicting ${name} results: ${text}`, refs: r.latest.map((a) => a.ref), missing };
  }
  const state = [...states][0] as State;
  return { name, state, text: `${text} (${state}: ${rule})`, refs: r.latest.map((a) => a.ref) };
}

/** The enzymes measure at a multiple of ULN; `strict` means "> multiple", else "≥ multiple". */
function enzymes(model: EligibilityModel, window: LookbackWindow, multiple: number, strict: boolean): Measure {
  const name = 'muscle enzymes (CK, aldolase, LDH, ALT, AST)';
  const present: LabResult[] = [];
  const seen: LabResult[] = [];
  for (const test of ENZYMES) {
    const found = latestLab(model, [test], window.from);
    seen.push(...found.latest, ...found.straddling, ...found.stale.slice(0, 1));
    for (const l of found.latest) if (l.value !== undefined && l.uln !== undefined) present.push(l);
  }
  if (present.length === 0) {
    const missing: MissingData = { text: `${name}: a result since ${window.from}` };
    const query = queryFor(model, ENZYMES);
    if (query) missing.query = query;
    return { name, state: 'missing', text: `no muscle enzyme with a usable value within ${window.label}`, refs: seen.map((l) => l.ref), missing };
  }
  const meets = (l: LabResult): boolean => {
    const limit = multiple * l.uln!;
    // A value written `>N` meets the limit when N does; `<N` never does.
    if (l.comparator === '<' || l.comparator === '<=') return false;
    return strict ? l.value! > limit + EPS || (l.comparator === '>' && l.value! >= limit - EPS) : l.value! >= limit - EPS;
  };
  const high = present.filter(meets);
  const label = (l: LabResult) => `${labLabel(l, testDisplay(model, l.test))} = ${Math.round((l.value! / l.uln!) * 100) / 100} × ULN ${l.uln} (${l.ulnSource === 'default' ? 'default ULN' : 'reference range'})`;
  const rule = `${strict ? '>' : '≥'} ${multiple} × ULN`;
  if (high.length > 0) return { name, state: 'abnormal', text: `${listText(high.map(label))} (${rule})`, refs: high.map((l) => l.ref) };
  return { name, state: 'normal', text: `${listText(present.map(label))} (none ${rule})`, refs: present.map((l) => l.ref) };
}

export const criterion: Criterion = {
  id: 'inc-active-disease',
  type: 'inclusion',
  evaluate(model) {
    const th = thresholdsOf(model)['inc-active-disease'];
    const D = model.asOf;
    const window = daysWindow(D, th.windowDays);
    const dm = conditionsWith(model, ['dx-dm'], { excludeDifferential: true }).length > 0;

    const mmt = fromAssessments(
      model, window, ['mmt8-150', 'mmt8-80', 'mmt8'], 'MMT-8',
      (a) => (a.measure === 'mmt8-80' || a.scale === 80 ? a.value! <= th.mmt8_80AbnormalMax + EPS : a.value! <= th.mmt8_150AbnormalMax + EPS),
      `abnormal at ≤ ${th.mmt8_150AbnormalMax}/150 or ≤ ${th.mmt8_80AbnormalMax}/80`,
    );
    const phys = fromAssessments(model, window, ['phys-global-activity'], 'physician global activity VAS', (a) => a.value! >= th.physicianGlobalMinCm - EPS, `abnormal at ≥ ${th.physicianGlobalMinCm} cm`);
    const pt = fromAssessments(model, window, ['pt-global-activity'], 'patient global activity VAS', (a) => a.value! >= th.patientGlobalMinCm - EPS, `abnormal at ≥ ${th.patientGlobalMinCm} cm`);
    const haq = fromAssessments(model, window, ['haq-di'], 'HAQ-DI', (a) => a.value! >= th.haqDiMin - EPS, `abnormal at ≥ ${th.haqDiMin}`);
    const extra = fromAssessments(model, window, ['extramuscular-activity'], 'extramuscular activity VAS (MDAAT)', (a) => a.value! > th.extramuscularAboveCm + EPS, `abnormal above ${th.extramuscularAboveCm} cm`);
    const enz = enzymes(model, window, th.enzymeUlnMultiple, true);
    const others = [phys, pt, haq, enz, extra];

    const count = (ms: Measure[], s: State) => ms.filter((m) => m.state === s).length;
    // Path A.
    const aMet = mmt.state === 'abnormal' && count(others, 'abnormal') >= th.minOtherAbnormal;
    const aPossible = mmt.state !== 'normal' && count(others, 'abnormal') + count(others, 'missing') >= th.minOtherAbnormal;
    const summary = (ms: Measure[]) => listText(ms.map((m) => (m.state === 'missing' ? `${m.name}: ${m.text}` : m.text)));
    if (aMet) {
      const used = [mmt, ...others.filter((m) => m.state === 'abnormal')];
      return decided('met', `active disease (MMT-8 and ${count(others, 'abnormal')} other core set measures abnormal, within ${window.label}): ${summary(used)}`, used.flatMap((m) => m.refs));
    }
    // Path B (DM only), read only when path A does not already decide.
    let bMet = false;
    let bPossible = false;
    let cut: Measure | undefined;
    let enzDm: Measure | undefined;
    const bOthers = [phys, pt, haq, extra];
    if (dm) {
      cut = fromAssessments(model, window, ['mdaat-cutaneous-activity'], 'cutaneous activity VAS (MDAAT)', (a) => a.value! > th.dmCutaneousAboveCm + EPS, `abnormal above ${th.dmCutaneousAboveCm} cm`);
      enzDm = enzymes(model, window, th.dmEnzymeUlnMultiple, false);
      const mmtAllows = mmt.state !== 'abnormal';
      bMet = mmtAllows && cut.state === 'abnormal' && enzDm.state === 'abnormal' && count(bOthers, 'abnormal') >= th.dmMinOtherAbnormal;
      bPossible = mmtAllows && cut.state !== 'normal' && enzDm.state !== 'normal' && count(bOthers, 'abnormal') + count(bOthers, 'missing') >= th.dmMinOtherAbnormal;
    }

    const all = dm ? [mmt, ...others, cut!, enzDm!] : [mmt, ...others];
    if (bMet) {
      const used = [mmt, cut!, enzDm!, ...bOthers.filter((m) => m.state === 'abnormal')].filter((m) => m.state !== 'missing');
      return decided('met', `active dermatomyositis by the skin path (MMT-8 not abnormal or not recorded; cutaneous VAS, a muscle enzyme ≥ ${th.dmEnzymeUlnMultiple} × ULN and another measure abnormal, within ${window.label}): ${summary(used)}`, used.flatMap((m) => m.refs));
    }
    const present = all.filter((m) => m.state !== 'missing');
    if (!aPossible && !bPossible) {
      const paths = dm ? 'neither the MMT-8 path nor the dermatomyositis skin path can hold' : 'the MMT-8 path cannot hold (the skin path is for dermatomyositis only)';
      return decided('not-met', `not active by the core set within ${window.label}: ${paths}; ${summary(all)}`, present.flatMap((m) => m.refs));
    }
    const missing = all.filter((m) => m.state === 'missing');
    const unique = new Map<string, MissingData>();
    for (const m of missing) if (m.missing && !unique.has(m.missing.text)) unique.set(m.missing.text, m.missing);
    return undecided(`core set measures within ${window.label} are incomplete: ${summary(all)}; missing: ${listText([...new Set(missing.map((m) => m.name))])}`, {
      evidence: all.flatMap((m) => m.refs),
      missingData: [...unique.values()],
    });
  },
};
