// I7 (`inc-biopsy-mri-long-disease`): disease duration = D − earliest onset (else recorded date)
// of a condition that counts for `inc-diagnosis`. Under 7 years: `met` (does not apply). 7 years
// or more: `met` if the patient is DM with a cutaneous VAS > 3 cm (the latest within 90 days), or
// a muscle biopsy or muscle MRI was done within 4 months before D; otherwise `unknown`, not
// manual. Open: no such condition, or none with an onset or recorded date → `unknown`.

import { addYears, spanOverlapsWindow, type Tri } from '../../fhir/dates.js';
import { diagnosisOnset, onsetField, onsetOf } from './diagnosis-onset.js';
import { conditionLabel, dateText, listText } from '../common/labels.js';
import { latestMeasure, measureLabel } from '../common/latest-assessment.js';
import { missingRecordDetail } from '../common/missing-data.js';
import { decided, doesNotApply, undecided } from '../common/outcome.js';
import { daysWindow, monthsWindow } from '../common/windows.js';
import type { Criterion, MissingData } from '../types.js';
import { procedureDone } from '../common/procedure-done.js';
import { thresholdsOf } from './thresholds.js';


export const criterion: Criterion = {
  id: 'inc-biopsy-mri-long-disease',
  type: 'inclusion',
  evaluate(model) {
    const th = thresholdsOf(model)['inc-biopsy-mri-long-disease'];
    const D = model.asOf;
    const onset = diagnosisOnset(model);
    if (!onset.earliest) {
      const why = onset.diagnoses.length === 0 ? 'no DM, PM or IIM diagnosis on record' : `no onset or recorded date on ${listText(onset.diagnoses.map(conditionLabel))}`;
      return undecided(`disease duration unknown: ${why}`, {
        evidence: onset.diagnoses.map((d) => d.ref),
        missingData: onset.diagnoses.length === 0
          ? [{ text: 'the myositis diagnosis and its onset date', query: `Condition?patient=${model.patient.id}` }]
          : onset.diagnoses.map((d) => missingRecordDetail(d.ref, `the onset date of ${conditionLabel(d)}`)),
      });
    }
    const limit = addYears(D, -th.longDiseaseYears);
    const first = onset.first!;
    const onsetText = `earliest ${onsetField(first)} ${dateText(onsetOf(first)!)} (${conditionLabel(first)})`;
    // Long disease: some onset on or before D − 7 years.
    let long: Tri = onset.earliest.latest <= limit ? 'yes' : onset.earliest.earliest <= limit ? 'maybe' : 'no';
    if (long === 'no' && onset.undated.length > 0) long = 'maybe';
    if (long === 'no') {
      return doesNotApply('inclusion', `disease duration under ${th.longDiseaseYears} years (${onsetText}, after ${limit}): a biopsy or MRI is not required`, [first.ref]);
    }

    const dm = onset.diagnoses.some((d) => d.concepts.includes('dx-dm'));
    const cutWindow = daysWindow(D, th.cutaneousWindowDays);
    const cut = dm ? latestMeasure(model, ['mdaat-cutaneous-activity'], cutWindow.from, 'cutaneous activity VAS (MDAAT)', cutWindow.label) : undefined;
    const cutHigh = cut ? cut.latest.filter((a) => a.value! > th.cutaneousAboveCm + 1e-9) : [];
    const cutAll = cut ? cut.latest : [];
    const procWindow = monthsWindow(D, th.procedureWindowMonths);
    const procs = model.procedures.filter(
      (p) => (p.concepts.includes('muscle-biopsy') || p.concepts.includes('muscle-mri')) && procedureDone(p) && p.start,
    );
    const procIn = procs.filter((p) => spanOverlapsWindow(p.start!, p.end ?? p.start!, procWindow.from, D) === 'yes');
    const procMaybe = procs.filter((p) => spanOverlapsWindow(p.start!, p.end ?? p.start!, procWindow.from, D) === 'maybe');
    const procLabel = (p: (typeof procs)[number]) => `${conditionLabel(p)} on ${dateText(p.start!)}`;

    const met: string[] = [];
    const refs: string[] = [];
    if (cutHigh.length > 0 && cutHigh.length === cutAll.length) {
      met.push(`dermatomyositis with ${listText(cutHigh.map((a) => measureLabel(model, a)))} above ${th.cutaneousAboveCm} cm`);
      refs.push(...cutHigh.map((a) => a.ref));
    }
    if (procIn.length > 0) {
      met.push(`muscle biopsy or MRI within ${procWindow.label} before ${D}: ${listText(procIn.map(procLabel))}`);
      refs.push(...procIn.map((p) => p.ref));
    }
    const longText = long === 'yes' ? `disease duration ${th.longDiseaseYears} years or more (${onsetText})` : `disease duration may be ${th.longDiseaseYears} years or more (${onsetText})`;
    if (met.length > 0) return decided('met', `${longText}; ${listText(met)}`, [first.ref, ...refs]);

    const missingData: MissingData[] = [];
    if (long === 'maybe') missingData.push(...onset.diagnoses.map((d) => missingRecordDetail(d.ref, `the exact onset date of ${conditionLabel(d)}`)));
    missingData.push(
      ...procMaybe.map((p) => missingRecordDetail(p.ref, `the exact date of ${procLabel(p)}`)),
      { text: `a muscle biopsy or muscle MRI within ${procWindow.label} before ${D} (since ${procWindow.from})`, query: `Procedure?patient=${model.patient.id}&date=ge${procWindow.from}` },
    );
    if (dm && cut) {
      if (cut.latest.length === 0 && cut.missing) missingData.push(cut.missing);
    }
    const cutText = dm ? (cut!.latest.length > 0 ? `; ${listText(cutAll.map((a) => measureLabel(model, a)))} is not above ${th.cutaneousAboveCm} cm` : `; ${cut!.missingText}`) : '';
    return undecided(`${longText}, and no muscle biopsy or MRI within ${procWindow.label} before ${D}${cutText}: one may be on record elsewhere or can still be done`, {
      evidence: [first.ref, ...procMaybe.map((p) => p.ref), ...cutAll.map((a) => a.ref)],
      missingData,
    });
  },
};
