// E17 (`exc-liver-labs`): from the latest values within 180 days, `met` if GGT > 1.5 × ULN; or
// total bilirubin > 1.25 × ULN, unless bilirubin is fractionated (a direct bilirubin on the same
// day as that total) and direct bilirubin is < 35% of total; or INR > 1.2 while no anticoagulant
// is current at D. `not-met` if GGT, bilirubin and INR are all present and none of these holds.
// Open. ULN: the Observation's referenceRange.high, else the mapping's default (labs.yaml).

import type { EligibilityModel, LabResult } from '../../mapping/model.js';
import { courseText } from '../common/course-labels.js';
import { weighingDoubtfulRecords } from '../common/doubtful-records.js';
import { dateText, listText } from '../common/labels.js';
import { latestLab } from '../common/latest-lab.js';
import { tracksWithGroup } from '../common/medication-timeline.js';
import { missingTest, testDisplay } from '../common/missing-data.js';
import { decided, undecided } from '../common/outcome.js';
import { daysWindow, type LookbackWindow } from '../common/windows.js';
import type { Criterion, MissingData } from '../types.js';
import { thresholdsOf } from './thresholds.js';

const EPS = 1e-9;
type Above = 'above' | 'not-above' | 'uncertain';

/** Is the value above the limit, honouring a written comparator? */
function above(l: LabResult, limit: number): Above {
  const v = l.value!;
  switch (l.comparator) {
    case undefined:
      return v > limit + EPS ? 'above' : 'not-above';
    case '<':
    case '<=':
      return v <= limit + EPS ? 'not-above' : 'uncertain';
    case '>':
      return v >= limit - EPS ? 'above' : 'uncertain';
    case '>=':
      return v > limit + EPS ? 'above' : 'uncertain';
  }
}

interface Latest {
  lab?: LabResult;
  text: string;
  refs: string[];
  missing?: MissingData;
}

function latestUsable(model: EligibilityModel, test: string, window: LookbackWindow, needUln: boolean): Latest {
  const name = testDisplay(model, test);
  const found = latestLab(model, [test], window.from);
  const missing = (text: string, refs: string[], why: string): Latest => ({ text, refs, missing: missingTest(model, test, why) });
  if (found.latest.length === 0) {
    if (found.straddling[0]) return missing(`${name} ${found.straddling[0].valueText} (${dateText(found.straddling[0].date!)}) may or may not lie within ${window.label}`, found.straddling.map((l) => l.ref), `a result since ${window.from}`);
    if (found.stale[0]) return missing(`the latest ${name} (${found.stale[0].valueText} on ${dateText(found.stale[0].date!)}) is older than ${window.label}`, [found.stale[0].ref], `a result since ${window.from}`);
    return missing(`no ${name} within ${window.label}`, found.undated.map((l) => l.ref), `a result since ${window.from}`);
  }
  const usable = found.latest.filter((l) => l.value !== undefined && (!needUln || l.uln !== undefined));
  const first = found.latest[0]!;
  if (usable.length === 0) return missing(`${name} ${first.valueText} on ${dateText(first.date!)} counts as missing: ${first.valueProblem ?? 'no numeric value'}`, [first.ref], 'a value in a convertible unit');
  const values = new Set(usable.map((l) => `${l.comparator ?? ''}${l.value}/${l.uln ?? ''}`));
  if (values.size > 1) return missing(`conflicting ${name} results on ${dateText(first.date!)}: ${listText(usable.map((l) => l.valueText))}`, usable.map((l) => l.ref), 'one confirmed result');
  const lab = usable[0]!;
  return { lab, text: `${name} ${lab.comparator ?? ''}${lab.value} ${lab.unit ?? ''}`.trim() + ` on ${dateText(lab.date!)}`, refs: [lab.ref] };
}

function ulnText(l: LabResult): string {
  return `ULN ${l.uln} ${l.unit ?? ''}${l.ulnSource === 'default' ? ', default' : ''}`.replace(' ,', ',');
}

const asWritten: Criterion = {
  id: 'exc-liver-labs',
  type: 'exclusion',
  evaluate(model) {
    const th = thresholdsOf(model)['exc-liver-labs'];
    const D = model.asOf;
    const window = daysWindow(D, th.lookbackDays);
    const met: { text: string; refs: string[] }[] = [];
    const fine: { text: string; refs: string[] }[] = [];
    const open: { text: string; refs: string[]; missing: MissingData[] }[] = [];
    const put = (state: Above, text: string, refs: string[], missing?: MissingData) => {
      if (state === 'above') met.push({ text, refs });
      else if (state === 'not-above') fine.push({ text, refs });
      else open.push({ text, refs, missing: missing ? [missing] : [] });
    };

    // GGT.
    const ggt = latestUsable(model, 'ggt', window, true);
    if (!ggt.lab) open.push({ text: ggt.text, refs: ggt.refs, missing: [ggt.missing!] });
    else {
      const l = ggt.lab;
      const s = above(l, th.ggtUlnMultiple * l.uln!);
      put(s, `${ggt.text} ${s === 'above' ? 'is above' : s === 'not-above' ? 'is not above' : 'may or may not be above'} ${th.ggtUlnMultiple} × ULN (${ulnText(l)})`, ggt.refs, missingTest(model, 'ggt', 'an exact value'));
    }

    // Total bilirubin, with the direct fraction from the same day.
    const bili = latestUsable(model, 'bilirubin-total', window, true);
    if (!bili.lab) open.push({ text: bili.text, refs: bili.refs, missing: [bili.missing!] });
    else {
      const l = bili.lab;
      const s = above(l, th.bilirubinUlnMultiple * l.uln!);
      const base = `${bili.text} (${ulnText(l)})`;
      if (s !== 'above') {
        put(s, `${base} ${s === 'not-above' ? 'is not above' : 'may or may not be above'} ${th.bilirubinUlnMultiple} × ULN`, bili.refs, missingTest(model, 'bilirubin-total', 'an exact value'));
      } else {
        const direct = model.labs.filter((d) => d.test === 'bilirubin-direct' && d.date && d.date.earliest === l.date!.earliest && d.date.latest === l.date!.latest && d.value !== undefined);
        const directValues = new Set(direct.map((d) => `${d.comparator ?? ''}${d.value}`));
        const d = direct[0];
        if (!d) met.push({ text: `${base} is above ${th.bilirubinUlnMultiple} × ULN and is not fractionated (no direct bilirubin on ${dateText(l.date!)})`, refs: bili.refs });
        else if (directValues.size > 1) open.push({ text: `${base} is above ${th.bilirubinUlnMultiple} × ULN, with conflicting direct bilirubin results`, refs: [...bili.refs, ...direct.map((x) => x.ref)], missing: [missingTest(model, 'bilirubin-direct', 'one confirmed result')] });
        else {
          const fraction = d.value! / l.value!;
          const pct = `${Math.round(fraction * 1000) / 10}%`;
          const definite = d.comparator === undefined || d.comparator === '<' || d.comparator === '<=';
          if (fraction < th.directFractionMax - EPS && definite && l.comparator === undefined) {
            fine.push({ text: `${base} is above ${th.bilirubinUlnMultiple} × ULN but fractionated, with direct bilirubin ${d.valueText} = ${pct} of total (below ${th.directFractionMax * 100}%)`, refs: [...bili.refs, d.ref] });
          } else if (fraction >= th.directFractionMax - EPS && (d.comparator === undefined || d.comparator === '>' || d.comparator === '>=')) {
            met.push({ text: `${base} is above ${th.bilirubinUlnMultiple} × ULN with direct bilirubin ${d.valueText} = ${pct} of total (not below ${th.directFractionMax * 100}%)`, refs: [...bili.refs, d.ref] });
          } else {
            open.push({ text: `${base} is above ${th.bilirubinUlnMultiple} × ULN; direct bilirubin ${d.valueText} does not say whether it is below ${th.directFractionMax * 100}% of total`, refs: [...bili.refs, d.ref], missing: [missingTest(model, 'bilirubin-direct', 'an exact value')] });
          }
        }
      }
    }

    // INR, unless an anticoagulant is current.
    const inr = latestUsable(model, 'inr', window, false);
    if (!inr.lab) open.push({ text: inr.text, refs: inr.refs, missing: [inr.missing!] });
    else {
      const l = inr.lab;
      const s = above(l, th.inrMax);
      if (s === 'not-above') fine.push({ text: `${inr.text} is not above ${th.inrMax}`, refs: inr.refs });
      else {
        const anticoagulants = tracksWithGroup(model, 'anticoagulant').filter((t) => t.current);
        const sure = anticoagulants.filter((t) => t.current!.current === 'yes');
        const onText = (ts: typeof anticoagulants) => listText(ts.map((t) => courseText(t.current!)));
        if (sure.length > 0) fine.push({ text: `${inr.text} is ${s === 'above' ? 'above' : 'maybe above'} ${th.inrMax} while an anticoagulant is current (${onText(sure)})`, refs: [...inr.refs, ...sure.flatMap((t) => t.current!.records.map((m) => m.ref))] });
        else if (anticoagulants.length > 0) {
          open.push({ text: `${inr.text} is above ${th.inrMax}; an anticoagulant may or may not be current (${onText(anticoagulants)})`, refs: [...inr.refs, ...anticoagulants.flatMap((t) => t.current!.records.map((m) => m.ref))], missing: [{ text: 'whether an anticoagulant is current', query: `MedicationRequest?patient=${model.patient.id}&status=active` }] });
        } else put(s, `${inr.text} is ${s === 'above' ? 'above' : 'maybe above'} ${th.inrMax} with no anticoagulant current at ${D}`, inr.refs, missingTest(model, 'inr', 'an exact value'));
      }
    }

    if (met.length > 0) return decided('met', `liver tests within ${window.label} before ${D}: ${listText(met.map((m) => m.text))}`, met.flatMap((m) => m.refs));
    if (open.length === 0) return decided('not-met', `liver tests within ${window.label} before ${D}: ${listText(fine.map((f) => f.text))}`, fine.flatMap((f) => f.refs));
    return undecided(`${listText([...open, ...fine].map((o) => o.text))}; GGT, total bilirubin and INR within ${window.label} are all needed to rule this out`, {
      evidence: [...open, ...fine].flatMap((o) => o.refs),
      missingData: open.flatMap((o) => o.missing),
    });
  },
};

// records that may or may not be current at D: weighed both ways (doubtful-records.ts).
export const criterion: Criterion = weighingDoubtfulRecords(asWritten, ['possibly-current']);
