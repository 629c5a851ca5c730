// The parts of @lhncbc/ucum-lhc (which ships no types) that units.ts uses.
declare module '@lhncbc/ucum-lhc' {
  interface ValidateResult {
    status: 'valid' | 'invalid' | 'error';
    ucumCode: string | null;
    msg: string[];
  }
  interface ConvertResult {
    status: 'succeeded' | 'failed' | 'error';
    toVal: number | null;
    msg: string[];
  }
  interface UcumLhcUtils {
    validateUnitString(unit: string, suggest?: boolean): ValidateResult;
    convertUnitTo(from: string, value: number, to: string): ConvertResult;
  }
  /** The unit tables: plain objects keyed by unit code, name, string, synonym. */
  const ucum: { UcumLhcUtils: { getInstance(): UcumLhcUtils }; UnitTables: { getInstance(): Record<string, unknown> } };
  export default ucum;
}
