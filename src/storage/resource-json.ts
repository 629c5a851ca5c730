// A rendered resource as JSON text, for the store to keep as it is. The store splices this
// text into its statement's json array without parsing it (subject-upsert.ts): it must be
// JSON.stringify's output for an object this service rendered, never text from outside (a
// request body could close the array's element and add rows of its own). The type has one
// maker, so a plain string cannot be passed by mistake.

export type ResourceJson = string & { readonly __resourceJson: true };

export function resourceJson(resource: object): ResourceJson {
  return JSON.stringify(resource) as ResourceJson;
}
