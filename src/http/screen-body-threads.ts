// Screening threads for the JSON body of a one-study $screen. Decoding and parsing a whole
// patient's Bundle (hundreds of kB) and screening it is the CPU of a call; on the request thread
// it holds up every other caller's I/O. Here the body's bytes go to a worker thread, which
// decodes, parses, checks, screens and renders it, and the request thread only stores the
// result and answers. As with CDS Hooks (cds-hooks/screen-threads.ts), the thread never decides
// an error: a body it cannot screen as it stands (not JSON, a key the JSON parser refuses, not a
// Bundle or Parameters, any rule of ingest or asOf broken, any failure) is answered `undefined`,
// and the request thread parses and screens it as it always does, with the same answers and the
// same errors. SCREEN_THREADS=0 keeps everything on the request thread.
//
// Threads start with the first call (that call is screened on the request thread meanwhile), so
// a service that never takes a $screen never pays for them.

import type { IsoDay } from '../fhir/dates.js';
import type { NewSubject } from '../storage/store.js';
import { OffThread } from '../worker/off-thread.js';

export interface ScreenBodySetup {
  mappingsDir: string;
  canonicalBase: string;
  maxEntries: number;
}

export interface ScreenBodyRequest {
  studyId: string;
  /** The study's contentHash on the request thread: the thread's must be the same. */
  contentHash: string;
  /** The body as it arrived. */
  bytes: Uint8Array;
  /** The query's asOf, unparsed, reconciled with the body's as on the request thread. */
  queryAsOf: unknown;
  today: IsoDay;
  /** Epoch ms past which the screening is not finished here. */
  deadline: number;
}

export interface ScreenedBody {
  /** The body's resourceType: what the route's schema reads of the body. */
  resourceType: 'Bundle' | 'Parameters';
  asOf: IsoDay;
  subject: NewSubject;
}

export class ScreenBodyThreads extends OffThread<ScreenBodyRequest, ScreenedBody> {
  constructor(size: number, setup: ScreenBodySetup) {
    super(size, { callerUrl: import.meta.url, module: 'screen-body-worker', workerData: setup });
  }
}
