// Block `medication-current`: a medication of a class is current at D (its course covers D; see
// the medication timeline for courses, administrations and undated active records). Only
// possibly current (a partial date straddling D): unknown (open), naming the records. None: not-met.

import Type, { type Static } from 'typebox';
import type { EligibilityModel } from '../../../mapping/model.js';
import { listText, medicationLabel } from '../../common/labels.js';
import { missingRecordDetail } from '../../common/missing-data.js';
import { kitDecided, kitOpen, type KitOutcome } from '../outcome.js';
import { Ids } from '../params.js';
import { classTracks } from './medication-class.js';

export const MedicationCurrentParams = Type.Object({ classes: Ids, name: Type.Optional(Type.String({ minLength: 1 })) }, { additionalProperties: false });
export type MedicationCurrentParams = Static<typeof MedicationCurrentParams>;

export function medicationCurrent(model: EligibilityModel, p: MedicationCurrentParams): KitOutcome {
  const name = p.name ?? listText(p.classes);
  const tracks = classTracks(model, p.classes);
  const current = tracks.filter((t) => t.current?.current === 'yes');
  const possibly = tracks.filter((t) => t.current?.current === 'maybe');
  if (current.length > 0) {
    const records = current.flatMap((t) => t.current!.records);
    return kitDecided('met', `${name} current at ${model.asOf}: ${listText(records.map(medicationLabel))}`, records.map((m) => m.ref));
  }
  if (possibly.length > 0) {
    const records = possibly.flatMap((t) => t.current!.records);
    return kitOpen(
      `${name} possibly current at ${model.asOf} (partial dates): ${listText(records.map(medicationLabel))}`,
      records.map((m) => missingRecordDetail(m.ref, `the exact dates of ${name} record ${m.ref}`)),
      records.map((m) => m.ref),
    );
  }
  return kitDecided('not-met', `no ${name} current at ${model.asOf}`);
}
