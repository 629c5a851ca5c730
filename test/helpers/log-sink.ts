// Captures every log line the app writes (pino test/helper.js's sink, synchronous), so a test
// can assert what was and was not logged.

import type { DestinationStream } from 'pino';

export interface LogSink extends DestinationStream {
  /** Every line written so far, raw. */
  readonly lines: string[];
  /** The lines parsed as JSON. */
  records(): Record<string, unknown>[];
  text(): string;
}

export function createLogSink(): LogSink {
  const lines: string[] = [];
  return {
    lines,
    write(chunk: string) {
      for (const line of chunk.split('\n')) if (line !== '') lines.push(line);
    },
    records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    text: () => lines.join('\n'),
  };
}
