// A rendered resource as JSON text, for the store to keep as it is: the store passes this text
// as the resource's parameter without parsing it (subject-upsert.ts), and hands it back as the
// stored resource. It must be JSON.stringify's output for an object this service rendered,
// never text from outside. The type has one maker, so a plain string cannot be passed by
// mistake.

export type ResourceJson = string & { readonly __resourceJson: true };

export function resourceJson(resource: object): ResourceJson {
  return JSON.stringify(resource) as ResourceJson;
}
