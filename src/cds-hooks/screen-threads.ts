// Screening threads for patient-view calls. Parsing a prefetch and screening it is the CPU of a
// call; on the request thread it also holds up every other caller's I/O, and a 2-core machine
// runs one call at a time. Here a call whose prefetch is complete is parsed and screened on a
// worker thread from the text that arrived, while the request thread stores results and
// answers. CDS_SCREEN_THREADS=0 keeps everything on the request thread.
//
// Threads start with the first call (that call is screened on the request thread meanwhile),
// so an app that never serves CDS Hooks never pays for them. A thread that dies is replaced by
// the next call (worker/worker-pool.ts, 'replace'); what it had in hand is answered `undefined`,
// and the request thread screens it.

import type { Evaluation } from '../screening/evaluation.js';
import type { ResourceJson } from '../storage/resource-json.js';
import { OffThread } from '../worker/off-thread.js';

export interface ScreenThreadSetup {
  mappingsDir: string;
  canonicalBase: string;
  maxEntries: number;
}

export interface ScreenThreadRequest {
  serviceId: string;
  /** The studies the call screens (call-studies.ts), with each mapping's contentHash on the request thread. */
  studies: { id: string; contentHash: string }[];
  text: string;
  today: string;
}

export interface OffThreadScreening {
  /** The call without its prefetch: what the route validates and reads. */
  envelope: Record<string, unknown>;
  /** One per study asked for, in that order. */
  results: OffThreadResult[];
}

export interface OffThreadResult {
  evaluation: Evaluation;
  /** The rendered ResearchSubject's id. */
  subjectId: string;
  /**
   * The rendered ResearchSubject as the JSON text it is stored as, made on the screening thread:
   * the request thread only stores it, so it neither rebuilds the object from the message nor
   * stringifies it again.
   */
  subjectJson: ResourceJson;
}

export class ScreenThreads extends OffThread<ScreenThreadRequest, OffThreadScreening> {
  constructor(size: number, setup: ScreenThreadSetup) {
    super(size, { callerUrl: import.meta.url, module: 'screen-thread-worker', workerData: setup });
  }
}
