// autocannon, the load generator of the HTTP benchmarks (a CommonJS package without types), with
// the part of its result the benchmarks read.

import { createRequire } from 'node:module';

export interface AutocannonResult {
  latency: { p50: number; p99: number };
  requests: { average: number };
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

export type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;

export const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
