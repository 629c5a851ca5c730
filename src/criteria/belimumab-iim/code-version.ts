// The version of the belimumab-iim criteria code, part of criteriaVersion: bump it whenever a
// criterion's logic changes. On its own so that reading it does not load the criteria.
export const CRITERIA_CODE_VERSION = 'belimumab-iim-criteria/3 (30 of 30 evaluated)';
