// The design we did not build, kept as a yardstick: every criterion as its own uncompiled
// fhirpath.evaluate over the whole Bundle (parsed again on every call, walking every entry),
// the way a first prototype would be written. Only its cost is of interest; bench compares it
// with the engine on the same bytes.

import fhirpath from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4';

const RES = 'Bundle.entry.resource';
const codeIn = (codes: string[]): string => `code.coding.where(${codes.map((c) => `code.startsWith('${c}')`).join(' or ')}).exists()`;
const cond = (codes: string[]): string => `${RES}.where(resourceType = 'Condition' and ${codeIn(codes)})`;
const obs = (codes: string[]): string => `${RES}.where(resourceType = 'Observation' and ${codeIn(codes)}).select(value)`;
const med = (names: string[]): string =>
  `${RES}.where((resourceType = 'MedicationStatement' or resourceType = 'MedicationRequest' or resourceType = 'MedicationAdministration') and medication.coding.where(${names
    .map((n) => `display.lower().contains('${n}')`)
    .join(' or ')}).exists())`;

/** One expression per criterion of the study (30), each reading what that criterion reads. */
export const NAIVE_EXPRESSIONS: string[] = [
  `${RES}.where(resourceType = 'Patient').birthDate`,
  cond(['M33', 'M36.0', 'G72.49', '396230008', '31384009']),
  obs(['5048-4', '8061-4', '5234-0', 'msa-', 'ab-']),
  med(['prednisone', 'methotrexate', 'azathioprine', 'mycophenolate', 'tacrolimus', 'cyclosporine']),
  obs(['mmt8', 'phys-global', 'pt-global', 'haq-di', '2157-6', '1761-6', '2532-0', '1742-6', '1920-8', 'extramuscular']),
  `${RES}.where(resourceType = 'Procedure' and ${codeIn(['20200', '20205', '7321', '7372'])})`,
  med(['prednisone', 'prednisolone', 'methylprednisolone', 'dexamethasone', 'hydrocortisone']),
  med(['azathioprine', 'mycophenolate', 'tacrolimus', 'cyclosporine', 'immune globulin']),
  `${RES}.where(resourceType = 'Patient').deceased`,
  cond(['Z33.1', 'O', 'N95.1', 'Z78.0', 'Z90.71', 'Z90.722', '77386006']),
  obs(['mdi-muscle-damage', 'mri-severe-muscle-atrophy']),
  cond(['C', 'Z85']),
  cond(['D80', 'D81', 'D82', 'D83', 'D84']),
  obs(['2465-3', '2458-8']),
  med(['azathioprine', 'methotrexate', 'mycophenolate', 'leflunomide', 'tacrolimus', 'cyclosporine']),
  med(['rituximab']),
  med(['cyclophosphamide']),
  med(['immune globulin', 'methylprednisolone']),
  med(['belimumab']),
  `${RES}.where(resourceType = 'Patient').id`,
  `${RES}.where(resourceType = 'Patient').id`,
  `${RES}.where(resourceType = 'AllergyIntolerance' and reaction.manifestation.coding.where(code = '39579001').exists())`,
  `${RES}.where(resourceType = 'Encounter' and class.code = 'IMP')`,
  cond(['B20', 'Z21', 'B97.35', 'O98.7']),
  cond(['K75.4']),
  obs(['5196-1', '16933-4', '16128-1', '11011-4']),
  obs(['2324-2', '1975-2', '1968-7', '6301-6']),
  cond(['F10', 'F11', 'F12', 'F13', 'F14', 'F15', 'F16', 'F18', 'F19']),
  cond(['R45.851', 'T14.91', 'X7', 'X8']),
  `${RES}.where(resourceType = 'Patient').id`,
];

export function naiveScreen(bundleText: string): number {
  // JSON.parse once, as the engine does; fhirpath.js annotates its input, so it gets its own.
  const bundle = JSON.parse(bundleText) as unknown;
  let found = 0;
  for (const expression of NAIVE_EXPRESSIONS) found += (fhirpath.evaluate(bundle, expression, undefined, r4) as unknown[]).length;
  return found;
}
