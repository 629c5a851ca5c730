// A Quantity converted into the unit a lab or measure is compared in: UCUM for everything
// UCUM can do, the mapping's molar factor for µmol/L bilirubin, the molar mass of a ratio's
// denominator for a ratio per amount (UACR in mg/mmol of creatinine into mg/g), site unit
// aliases for the non-UCUM strings labs send ("INR", "mIU/mL"). A quantity that cannot be converted is missing
// data with the reason, never a guess.

import { conversionFactor, clean } from './units.js';
import type { QuantityRead } from './fhir-values.js';

export interface UnitRule {
  unit: string;
  molarFactor?: number;
  /**
   * g/mol of the substance a ratio is per (creatinine, 113.12): a ratio per amount converts
   * into the lab's ratio per mass. UCUM turns `mg/mmol` into `(mg/g)·(g/mol)` = mg/mol; divided
   * by the molar mass that is mg/g (1 mg/mmol = 1000 / 113.12 = 8.84 mg/g).
   */
  perAmountMolarMass?: number;
  /** A value with no unit is not taken to be in `unit`, even a dimensionless one (UACR: mg/g or mg/mmol). */
  unitRequired?: boolean;
  /** Site unit string as sent → UCUM unit (a Map: it is asked with the unit as sent). */
  unitAliases?: ReadonlyMap<string, string>;
}

export type Converted = { value: number } | { problem: string };

function isDimensionless(unit: string): boolean {
  return conversionFactor('1', unit) !== undefined;
}

export function toUnit(q: QuantityRead, rule: UnitRule): Converted {
  const given = q.unit;
  if (given === undefined) {
    return isDimensionless(rule.unit) && !rule.unitRequired ? { value: q.value } : { problem: `the value has no unit (expected ${rule.unit})` };
  }
  const from = rule.unitAliases?.get(given) ?? given;
  const f = conversionFactor(from, rule.unit);
  if (f !== undefined) return { value: clean(q.value * f) };
  if (rule.molarFactor !== undefined) {
    const toMicromolar = conversionFactor(from, 'umol/L');
    if (toMicromolar !== undefined) return { value: clean((q.value * toMicromolar) / rule.molarFactor) };
  }
  if (rule.perAmountMolarMass !== undefined) {
    const toPerMole = conversionFactor(from, `${rule.unit}.g/mol`);
    if (toPerMole !== undefined) return { value: clean((q.value * toPerMole) / rule.perAmountMolarMass) };
  }
  return { problem: `unit '${given}' cannot be converted to ${rule.unit}` };
}
