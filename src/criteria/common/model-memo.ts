// What several criteria derive from one model (the medication timeline, the results by test) is
// worked out once per model object and kept on it, so criteria stay pure functions of the model.
//
// Kept on the model itself, under a symbol, and not in a WeakMap keyed by the model: V8's
// scavenger holds a WeakMap's values alive while their young key is being collected, so every
// young-generation GC would promote the last screened patient's timeline and indexes to the old
// generation, make the scavenge costlier and leave the garbage for a full GC. A non-enumerable
// symbol property is invisible to JSON, structuredClone and equality in tests, and dies with
// the model.

import type { EligibilityModel } from '../../mapping/model.js';

/** `derive(model)`, computed on the first call for a model object and kept with it. */
export function memoOnModel<T>(name: string, derive: (model: EligibilityModel) => T): (model: EligibilityModel) => T {
  const slot = Symbol(name);
  return (model) => {
    const held = model as unknown as Record<symbol, T | undefined>;
    let value = held[slot];
    if (value === undefined) {
      value = derive(model);
      // A frozen model (a test's) is derived again on each call rather than refused.
      if (Object.isExtensible(model)) Object.defineProperty(model, slot, { value, writable: false, enumerable: false, configurable: false });
    }
    return value;
  };
}
