// The worker side of worker-pool.ts: says it is ready, then answers every request exactly once,
// by id, whatever happens (the pool's caller is waiting for it). A handler that throws, or a
// reply that cannot be sent (a value too deep to clone), is answered as failed with only the
// error's kind: its message may quote data.

import { parentPort } from 'node:worker_threads';

export interface PoolRequest<Request> {
  id: number;
  request: Request;
}

export type PoolReply<Reply> = { ready: true } | { id: number; reply: Reply } | { id: number; failed: string };

function kindOf(error: unknown): string {
  return error instanceof Error ? error.name : 'error';
}

/** Call once the worker is set up (its study loaded): from then on the pool sends it requests. */
export function serveRequests<Request, Reply>(handle: (request: Request) => Reply | Promise<Reply>): void {
  const port = parentPort!;
  const answer = (message: PoolReply<Reply>): void => port.postMessage(message);
  port.on('message', ({ id, request }: PoolRequest<Request>) => {
    const failed = (error: unknown): void => answer({ id, failed: kindOf(error) });
    let replied: Reply | Promise<Reply>;
    try {
      replied = handle(request);
    } catch (error) {
      failed(error);
      return;
    }
    void Promise.resolve(replied).then((reply) => {
      try {
        answer({ id, reply });
      } catch (error) {
        failed(error);
      }
    }, failed);
  });
  answer({ ready: true });
}
