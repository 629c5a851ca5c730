// Turns the checked mapping files into a CompiledStudy: resolves system short names, puts every
// code row into one ValueSetIndex, checks cross-file references and UCUM units, and compiles
// the FHIRPath. Every failure is a MappingError naming the file and the path.

import type { Route, TestDefinition, Thresholds, CodingRef } from './model.js';
import { key, type CompiledLab, type CompiledMeasure, type CompiledStudy, type NameTarget } from './compiled-study.js';
import { compileExtract } from './fhirpath-extract.js';
import { MappingError } from './mapping-error.js';
import type { NamedId, StudyNeeds } from './required-ids.js';
import type {
  CodeRow,
  ExtractFile,
  InterpretationFile,
  MedicationsFile,
  RoutesFile,
  StudyFile,
  SharedThresholdsFile,
  TimingFile,
  ValueSetsFile,
  Lab,
  Measure,
} from './schema.js';
import { ownValue } from './own-value.js';
import { isUcumUnit } from './units.js';
import { ValueSetIndex } from './value-set-index.js';
import { SuffixMatcher, WordMatcher } from './word-matcher.js';

export interface MappingFiles {
  study: StudyFile;
  systems: Record<string, string>;
  valueSets: ValueSetsFile;
  medications: MedicationsFile;
  labs: Record<string, Lab>;
  assessments: Record<string, Measure>;
  interpretation: InterpretationFile;
  routes: RoutesFile;
  timing: TimingFile;
  /** The site's `courses` and the groups the study's TypeScript criteria declare (checked against their shape). */
  thresholds: SharedThresholdsFile & Record<string, unknown>;
  extract: ExtractFile;
}

class RowCompiler {
  constructor(
    private readonly systems: Record<string, string>,
    readonly index: ValueSetIndex,
  ) {}

  system(row: CodeRow, file: string, path: string): string {
    const s = ownValue(this.systems, row.system);
    if (s) return s;
    if (/^[a-z][a-z0-9+.-]*:/i.test(row.system)) return row.system;
    throw new MappingError(file, `${path}/system`, `unknown code system '${row.system}' (not in systems.yaml, not a URI)`);
  }

  add(k: string, rows: CodeRow[], file: string, path: string, exclude = false): void {
    rows.forEach((row, i) => {
      const p = `${path}/${i}`;
      const kinds = ['code', 'codes', 'prefix', 'prefixes', 'range', 'regex'].filter((f) => row[f as keyof CodeRow] !== undefined);
      if (kinds.length !== 1) throw new MappingError(file, p, `a row needs exactly one of code, codes, prefix, prefixes, range, regex (has ${kinds.join(', ') || 'none'})`);
      if (row.sixthCharacter !== undefined && row.range === undefined) throw new MappingError(file, p, 'sixthCharacter needs a range');
      if (row.regex !== undefined) {
        try {
          new RegExp(row.regex);
        } catch {
          throw new MappingError(file, `${p}/regex`, `'${row.regex}' is not a valid regular expression`);
        }
      }
      const system = this.system(row, file, p);
      if (exclude) this.index.exclude(k, system, row);
      else this.index.include(k, system, row);
      if (row.impliesRoute && !exclude) this.index.include(key.impliedRoute(row.impliesRoute), system, row);
    });
  }

  /** Exact codings of rows, for TestDefinition.codings (missingData queries). */
  codings(rows: CodeRow[], file: string, path: string): CodingRef[] {
    const out: CodingRef[] = [];
    rows.forEach((row, i) => {
      const system = this.system(row, file, `${path}/${i}`);
      for (const code of [...(row.code === undefined ? [] : [row.code]), ...(row.codes ?? [])]) out.push({ system, code });
    });
    return out;
  }
}

function requireIds(ids: readonly string[], present: Record<string, unknown>, file: string, what: string): void {
  for (const id of ids) {
    if (!Object.hasOwn(present, id)) throw new MappingError(file, `/${id}`, `${what} '${id}' is required by the study's criteria code but missing`);
  }
}

/** Every id a kit rule names must be defined by the folder; the error points at the rule's line. */
function checkNamedIds(named: readonly NamedId[], files: MappingFiles): void {
  const med = files.medications;
  const groups = new Set(Object.values(med.agents).flatMap((a) => a.groups));
  for (const n of named) {
    let where: string | undefined;
    if (n.kind === 'value set' && !Object.hasOwn(files.valueSets, n.id)) where = 'value-sets.yaml';
    if (n.kind === 'lab' && !Object.hasOwn(files.labs, n.id)) where = 'labs.yaml';
    if (n.kind === 'test' && !Object.hasOwn(files.labs, n.id) && !Object.hasOwn(files.assessments, n.id)) where = 'labs.yaml or assessments.yaml';
    if (n.kind === 'medication class' && !Object.hasOwn(med.agents, n.id) && !Object.hasOwn(med.classes, n.id) && !groups.has(n.id)) {
      where = 'medications.yaml (as an agent, a class or an agent group)';
    }
    if (where) throw new MappingError('study.yaml', n.path, `${n.kind} '${n.id}' is not defined in ${where}`, n.line);
  }
}

/** The measures a generic code may be: each must exist and state its `scale`. */
function scalesOf(id: string, ids: readonly string[], assessments: Record<string, Measure>): { id: string; scale: number }[] {
  const scales = ids.map((m, i) => {
    const scale = ownValue(assessments, m)?.scale;
    if (scale === undefined) throw new MappingError('assessments.yaml', `/${id}/scaleOf/measures/${i}`, `measure '${m}' is not in assessments.yaml with a scale`);
    return { id: m, scale };
  });
  return scales.sort((a, b) => a.scale - b.scale);
}

function checkUnit(unit: string | undefined, file: string, path: string): void {
  if (unit !== undefined && !isUcumUnit(unit)) throw new MappingError(file, path, `'${unit}' is not a UCUM unit`);
}

function thresholdAt(thresholds: MappingFiles['thresholds'], ref: string, file: string, path: string): number {
  const [criterion, field] = ref.split('.') as [string, string];
  const group = ownValue(thresholds as unknown as Record<string, Record<string, unknown>>, criterion);
  const value = group === undefined ? undefined : ownValue(group, field);
  if (typeof value !== 'number') throw new MappingError(file, path, `threshold '${ref}' does not exist in thresholds.yaml`);
  return value;
}

export function compileStudy(files: MappingFiles, needs: StudyNeeds): CompiledStudy {
  const { required } = needs;
  const index = new ValueSetIndex();
  const rows = new RowCompiler(files.systems, index);
  for (const [alias, uri] of Object.entries(files.systems)) {
    if (!/^[a-z][a-z0-9+.-]*:/i.test(uri)) throw new MappingError('systems.yaml', `/${alias}`, `'${uri}' is not a URI`);
  }

  // Value sets.
  requireIds(required.valueSets, files.valueSets, 'value-sets.yaml', 'value set');
  for (const [id, vs] of Object.entries(files.valueSets)) {
    rows.add(key.valueSet(id), vs.include, 'value-sets.yaml', `/${id}/include`);
    if (vs.exclude) rows.add(key.valueSet(id), vs.exclude, 'value-sets.yaml', `/${id}/exclude`, true);
  }

  // Medications.
  const med = files.medications;
  requireIds(required.agents, med.agents, 'medications.yaml', 'agent');
  requireIds(required.classes, med.classes, 'medications.yaml', 'class');
  const nameEntries: [string, NameTarget][] = [];
  for (const [id, agent] of Object.entries(med.agents)) {
    rows.add(key.agent(id), agent.codes, 'medications.yaml', `/agents/${id}/codes`);
    for (const n of [...agent.names, ...(agent.synonyms ?? [])]) nameEntries.push([n, { kind: 'agent', id }]);
    (agent.targets ?? []).forEach((t, i) => {
      if (!Object.hasOwn(files.valueSets, t)) throw new MappingError('medications.yaml', `/agents/${id}/targets/${i}`, `value set '${t}' is missing from value-sets.yaml`);
    });
    if (agent.groups.includes('glucocorticoid') && agent.prednisoneFactor === undefined) {
      throw new MappingError('medications.yaml', `/agents/${id}/prednisoneFactor`, 'a glucocorticoid needs its prednisone factor');
    }
  }
  const nameSuffixes: { suffix: string; classId: string }[] = [];
  for (const [id, cls] of Object.entries(med.classes)) {
    rows.add(key.drugClass(id), cls.codes, 'medications.yaml', `/classes/${id}/codes`);
    for (const n of cls.names ?? []) nameEntries.push([n, { kind: 'class', id }]);
    if (cls.nameSuffix) nameSuffixes.push({ suffix: cls.nameSuffix, classId: id });
  }
  rows.add(key.adverseReaction, med.adverseReaction.codes, 'medications.yaml', '/adverseReaction/codes');

  // Labs and measures.
  requireIds(required.labs, files.labs, 'labs.yaml', 'lab');
  requireIds(required.measures, files.assessments, 'assessments.yaml', 'measure');
  const tests: Record<string, TestDefinition> = {};
  const labs = new Map<string, CompiledLab>();
  for (const [id, lab] of Object.entries(files.labs)) {
    rows.add(key.lab(id), lab.codes, 'labs.yaml', `/${id}/codes`);
    checkUnit(lab.unit, 'labs.yaml', `/${id}/unit`);
    for (const [alias, unit] of Object.entries(lab.unitAliases ?? {})) checkUnit(unit, 'labs.yaml', `/${id}/unitAliases/${alias}`);
    if (lab.molarFactor !== undefined && lab.unit === undefined) throw new MappingError('labs.yaml', `/${id}/molarFactor`, 'a molar factor needs the lab unit');
    if (lab.perAmountMolarMass !== undefined && lab.unit === undefined) throw new MappingError('labs.yaml', `/${id}/perAmountMolarMass`, 'a molar mass needs the lab unit');
    const compiled: CompiledLab = { id, def: lab };
    if (typeof lab.positiveAtOrAbove === 'number') compiled.positiveAtOrAbove = lab.positiveAtOrAbove;
    else if (lab.positiveAtOrAbove) compiled.positiveAtOrAbove = thresholdAt(files.thresholds, lab.positiveAtOrAbove, 'labs.yaml', `/${id}/positiveAtOrAbove`);
    labs.set(id, compiled);
    tests[id] = definition(lab.display, lab.unit, rows.codings(lab.codes, 'labs.yaml', `/${id}/codes`));
  }
  const measures = new Map<string, CompiledMeasure>();
  for (const [id, m] of Object.entries(files.assessments)) {
    rows.add(key.measure(id), m.codes, 'assessments.yaml', `/${id}/codes`);
    checkUnit(m.unit, 'assessments.yaml', `/${id}/unit`);
    measures.set(id, m.scaleOf ? { id, def: m, scales: scalesOf(id, m.scaleOf.measures, files.assessments) } : { id, def: m });
    tests[id] = definition(m.display, m.unit, rows.codings(m.codes, 'assessments.yaml', `/${id}/codes`));
  }
  checkNamedIds(needs.named, files);
  for (const lab of needs.thresholdLabs?.(files.thresholds) ?? []) {
    if (!labs.has(lab.id)) throw new MappingError('thresholds.yaml', lab.path, `lab '${lab.id}' is missing from labs.yaml`);
  }

  // Interpretation, routes, timing.
  const interp = files.interpretation;
  rows.add(key.positiveValue, interp.valueCodes.positive, 'interpretation.yaml', '/valueCodes/positive');
  rows.add(key.negativeValue, interp.valueCodes.negative, 'interpretation.yaml', '/valueCodes/negative');
  interp.titreUnits.forEach((u, i) => checkUnit(u, 'interpretation.yaml', `/titreUnits/${i}`));
  const interpSystem = ownValue(files.systems, interp.interpretation.system) ?? interp.interpretation.system;

  const routes = files.routes;
  routes.codes.forEach((row, i) => rows.add(key.route(row.route), [row], 'routes.yaml', `/codes/${i}`));
  const routeEntries: [string, Route][] = [];
  for (const [route, words] of Object.entries(routes.routeWords)) {
    if (!isRoute(route)) throw new MappingError('routes.yaml', `/routeWords/${route}`, `'${route}' is not a route`);
    for (const w of words) routeEntries.push([w, route]);
  }
  const doseForms = (['non-systemic', 'parenteral', 'oral'] as const).map((route) => ({
    route,
    words: new WordMatcher(routes.doseForms[route].map((w): [string, true] => [w, true])),
  }));

  const timingSystem = ownValue(files.systems, files.timing.codes.system) ?? files.timing.codes.system;
  for (const u of ['h', 'd', 'wk', 'mo']) {
    if (!Object.hasOwn(files.timing.periodUnitDays, u)) throw new MappingError('timing.yaml', `/periodUnitDays/${u}`, `period unit '${u}' is missing`);
  }

  return {
    studyId: files.study.id,
    index,
    valueSetIds: Object.keys(files.valueSets),
    labs,
    measures,
    agents: new Map(Object.entries(med.agents)),
    names: new WordMatcher(nameEntries),
    nameSuffixes: new SuffixMatcher(nameSuffixes),
    adverseWords: new WordMatcher(med.adverseReaction.words.map((w): [string, true] => [w, true])),
    routeWords: new WordMatcher(routeEntries),
    doseForms,
    interpretation: {
      system: interpSystem,
      positive: new Set(interp.interpretation.positive),
      negative: new Set(interp.interpretation.negative),
      positiveStrings: new Set(interp.strings.positive.map((s) => s.toLowerCase())),
      negativeStrings: new Set(interp.strings.negative.map((s) => s.toLowerCase())),
      titreUnits: new Set(interp.titreUnits),
    },
    timing: {
      periodUnitDays: new Map(Object.entries(files.timing.periodUnitDays)),
      codeSystem: timingSystem,
      perDay: new Map(Object.entries(files.timing.codes.perDay)),
      productUnits: new Set(files.timing.productUnits.map((u) => u.toLowerCase())),
    },
    thresholds: deepFreeze(structuredClone(files.thresholds) as Thresholds),
    tests: deepFreeze(tests),
    extract: compileExtract(files.extract, 'extract.yaml'),
  };
}

function definition(display: string, unit: string | undefined, codings: CodingRef[]): TestDefinition {
  const d: TestDefinition = { display, codings };
  if (unit !== undefined) d.unit = unit;
  return d;
}

const ROUTES: readonly string[] = ['oral', 'iv', 'im', 'sc', 'parenteral', 'non-systemic', 'other'];
function isRoute(r: string): r is Route {
  return ROUTES.includes(r);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
