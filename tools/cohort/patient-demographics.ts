// The Patient resource of a generated person, shaped like Synthea's (us-core-patient, race
// and ethnicity extensions, MRN identifier, numbered synthetic names, a Kansas address).

import type { RecordBuilder } from './record-builder.js';

export interface Person {
  gender: 'male' | 'female';
  birthDay: number;
  deceasedDay?: number;
}

const GIVEN_F = ['Maria', 'Sumiko', 'Linda', 'Ashley', 'Keisha', 'Mei', 'Olga', 'Fatima', 'Grace', 'Rosa', 'Hannah', 'Priya'];
const GIVEN_M = ['James', 'Luis', 'Darnell', 'Wei', 'Ahmed', 'Ivan', 'Noah', 'Carlos', 'Tom', 'Raj', 'Samuel', 'Kenji'];
const FAMILY = ['Medhurst', 'Alvarez', 'Nguyen', 'Okafor', 'Schmidt', 'Kowalski', 'Haddad', 'Johnson', 'Tanaka', 'Rossi', 'Silva', 'Walker'];
const CITIES: readonly [string, string][] = [['Wichita', '67202'], ['Topeka', '66603'], ['Lawrence', '66044'], ['Olathe', '66061'], ['Emporia', '66801']];
const RACES: readonly [string, string][] = [['2106-3', 'White'], ['2054-5', 'Black or African American'], ['2028-9', 'Asian'], ['1002-5', 'American Indian or Alaska Native']];

export function writePatient(b: RecordBuilder, person: Person): void {
  const { rng, cal } = b;
  const female = person.gender === 'female';
  const given = `${rng.pick(female ? GIVEN_F : GIVEN_M)}${rng.int(10, 999)}`;
  const family = `${rng.pick(FAMILY)}${rng.int(10, 999)}`;
  const [city, zip] = rng.pick(CITIES);
  const [raceCode, race] = rng.weighted(RACES.map((r, i) => [r, [70, 15, 10, 5][i]!] as const));
  const patient: Record<string, unknown> = {
    resourceType: 'Patient',
    id: b.patientId,
    meta: { profile: ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient'] },
    extension: [
      {
        url: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race',
        extension: [
          { url: 'ombCategory', valueCoding: { system: 'urn:oid:2.16.840.1.113883.6.238', code: raceCode, display: race } },
          { url: 'text', valueString: race },
        ],
      },
      { url: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex', valueCode: female ? 'F' : 'M' },
    ],
    identifier: [
      { system: 'https://github.com/synthetichealth/synthea', value: b.patientId },
      {
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR', display: 'Medical Record Number' }], text: 'Medical Record Number' },
        system: 'http://hospital.smarthealthit.org',
        value: b.patientId,
      },
    ],
    name: [{ use: 'official', family, given: [given], prefix: [female ? 'Ms.' : 'Mr.'] }],
    telecom: [{ system: 'phone', value: `555-${rng.int(100, 999)}-${rng.int(1000, 9999)}`, use: 'home' }],
    gender: person.gender,
    birthDate: cal.iso(person.birthDay),
  };
  if (person.deceasedDay !== undefined) patient.deceasedDateTime = cal.dateTime(person.deceasedDay, rng);
  patient.address = [{ line: [`${rng.int(1, 999)} ${rng.pick(FAMILY)} Street`], city, state: 'KS', postalCode: zip, country: 'US' }];
  patient.maritalStatus = {
    coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus', code: rng.pick(['M', 'S', 'D', 'W']) }],
  };
  patient.communication = [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: 'en-US', display: 'English (United States)' }] } }];
  b.add(patient as { resourceType: string; id: string });
}
