// A full collection on the main thread when a known amount of large, short-lived text has
// just died (the candidates' batches handed to the resource store and the workers). Left to
// itself V8 lets the old generation grow to about four times what is live before collecting
// (its growth factor under the default multi-gigabyte limit), and batch text, alive across a
// store write, is promoted there, so the main heap would hold several times what is live. One
// mark-compact of that heap is cheap next to handling the text; it runs once per `everyBytes`.
// (The same `--expose-gc` + vm lookup jest uses; without it nothing happens.)

import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';

let collect: (() => void) | undefined | null = null;

function collector(): (() => void) | undefined {
  if (collect !== null) return collect;
  try {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  } catch {
    collect = undefined;
  }
  return collect;
}

export class HeapHint {
  #since = 0;

  constructor(private readonly everyBytes: number) {}

  /** `bytes` more of batch text is done with. */
  released(bytes: number): void {
    this.#since += bytes;
    if (this.#since < this.everyBytes) return;
    this.#since = 0;
    collector()?.();
  }
}
