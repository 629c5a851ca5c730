// The R4 shapes this service renders. Only what we emit is typed; these are plain JSON
// objects so they can go out through JSON.stringify untouched.

export interface Reference {
  reference: string;
  display?: string;
}

export interface Coding {
  system: string;
  code: string;
  display?: string;
}

export interface CodeableConcept {
  coding?: Coding[];
  text?: string;
}

/** [ext-1]: a value[x] or child extensions, never both. */
export type Extension =
  | { url: string; valueCode: string }
  | { url: string; valueString: string }
  | { url: string; valueBoolean: boolean }
  | { url: string; valueDate: string }
  | { url: string; valueReference: Reference }
  | { url: string; extension: Extension[] };

export interface Meta {
  lastUpdated?: string;
  [key: string]: unknown;
}

export interface Resource {
  resourceType: string;
  id?: string;
  meta?: Meta;
  [key: string]: unknown;
}
