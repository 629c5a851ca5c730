// Progress of a run: on a terminal, one redrawn bar line with patients/s and ETA; in a log
// (stderr not a TTY), a pino line every N patients. Counts only: never a patient id.

import type { Logger } from 'pino';

export interface Progress {
  phase(name: string, total: number, unit: 'bytes' | 'patients'): void;
  advance(done: number): void;
  end(): void;
}

export function createProgress(options: { logger: Logger; tty: NodeJS.WriteStream | undefined; logEvery?: number }): Progress {
  return options.tty ? new BarProgress(options.tty) : new LogProgress(options.logger, options.logEvery ?? 1000);
}

export const silentProgress: Progress = { phase() {}, advance() {}, end() {} };

class BarProgress implements Progress {
  #name = '';
  #total = 0;
  #unit: 'bytes' | 'patients' = 'patients';
  #started = 0;
  #lastDraw = 0;

  constructor(private readonly out: NodeJS.WriteStream) {}

  phase(name: string, total: number, unit: 'bytes' | 'patients'): void {
    this.end();
    this.#name = name;
    this.#total = total;
    this.#unit = unit;
    this.#started = performance.now();
    this.#lastDraw = 0;
    this.#draw(0);
  }

  advance(done: number): void {
    const now = performance.now();
    if (now - this.#lastDraw < 100 && done < this.#total) return;
    this.#lastDraw = now;
    this.#draw(done);
  }

  end(): void {
    if (this.#name !== '') this.out.write('\n');
    this.#name = '';
  }

  #draw(done: number): void {
    const width = 30;
    const fraction = this.#total > 0 ? Math.min(1, done / this.#total) : 1;
    const filled = Math.round(fraction * width);
    const seconds = (performance.now() - this.#started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const eta = rate > 0 ? (this.#total - done) / rate : 0;
    const amount = this.#unit === 'bytes' ? `${mb(done)}/${mb(this.#total)} MB, ${mb(rate)} MB/s` : `${done}/${this.#total} patients, ${rate.toFixed(0)} patients/s`;
    this.out.write(`\r${this.#name.padEnd(10)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${amount}, ETA ${eta.toFixed(0)} s   `);
  }
}

class LogProgress implements Progress {
  #name = '';
  #total = 0;
  #unit: 'bytes' | 'patients' = 'patients';
  #nextLog = 0;
  #started = 0;

  constructor(
    private readonly logger: Logger,
    private readonly every: number,
  ) {}

  phase(name: string, total: number, unit: 'bytes' | 'patients'): void {
    this.#name = name;
    this.#total = total;
    this.#unit = unit;
    this.#started = performance.now();
    this.#nextLog = unit === 'patients' ? this.every : Math.max(1, Math.floor(total / 10));
    this.logger.info({ phase: name, total, unit }, 'phase started');
  }

  advance(done: number): void {
    if (done < this.#nextLog) return;
    const step = this.#unit === 'patients' ? this.every : Math.max(1, Math.floor(this.#total / 10));
    this.#nextLog = (Math.floor(done / step) + 1) * step;
    const seconds = (performance.now() - this.#started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const eta = rate > 0 ? Math.round((this.#total - done) / rate) : undefined;
    this.logger.info({ phase: this.#name, done, total: this.#total, unit: this.#unit, perSecond: Math.round(rate), etaSeconds: eta }, 'progress');
  }

  end(): void {}
}

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(0);
}
