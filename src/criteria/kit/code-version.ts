// The version of the criteria kit's blocks and combinators, part of the criteriaVersion of every
// study with a `rule:` criterion: bump it whenever a block's or a combination's logic changes.
// On its own so that reading it does not load the kit.
export const KIT_CODE_VERSION = 'criteria-kit/1';
