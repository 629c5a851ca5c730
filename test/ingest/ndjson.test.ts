import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { isNdjsonError, ndjsonLines, type NdjsonItem } from '../../src/ingest/ndjson.js';

async function collect(source: Parameters<typeof ndjsonLines>[0], maxLineBytes?: number): Promise<NdjsonItem[]> {
  const items: NdjsonItem[] = [];
  for await (const item of ndjsonLines(source, maxLineBytes === undefined ? {} : { maxLineBytes })) items.push(item);
  return items;
}

function summary(items: NdjsonItem[]) {
  return items.map((item) => (isNdjsonError(item) ? { line: item.line, code: item.error.code } : item));
}

describe('ndjsonLines', () => {
  it('splits LF and CRLF lines, skipping blank ones but counting them', async () => {
    const text = '{"a":1}\r\n\n{"b":2}\n   \r\n\t\n{"c":3}';
    expect(await collect(text)).toEqual([
      { line: 1, text: '{"a":1}' },
      { line: 3, text: '{"b":2}' },
      { line: 6, text: '{"c":3}' },
    ]);
  });

  it('a trailing newline adds no line; empty input gives nothing', async () => {
    expect(await collect('{"a":1}\n')).toEqual([{ line: 1, text: '{"a":1}' }]);
    expect(await collect('')).toEqual([]);
    expect(await collect('\n\n\r\n')).toEqual([]);
  });

  it('joins lines split across chunks, including a CRLF split between its CR and LF', async () => {
    const chunks = ['{"resourceType":', '"Patient"}\r', '\n{"x"', ':1}\r\n', '{"y":2}'];
    expect(await collect(chunks)).toEqual([
      { line: 1, text: '{"resourceType":"Patient"}' },
      { line: 2, text: '{"x":1}' },
      { line: 3, text: '{"y":2}' },
    ]);
  });

  it('keeps multi-byte UTF-8 whole when a character is split across chunks', async () => {
    const bytes = Buffer.from('{"family":"Müller-Åström 李 🩺"}\n{"b":"é"}\n', 'utf8');
    // Every possible cut, including inside the 4-byte emoji and the 3-byte CJK character.
    for (let cut = 1; cut < bytes.length; cut++) {
      const items = await collect(Readable.from([bytes.subarray(0, cut), bytes.subarray(cut)], { objectMode: true }));
      expect(items).toEqual([
        { line: 1, text: '{"family":"Müller-Åström 李 🩺"}' },
        { line: 2, text: '{"b":"é"}' },
      ]);
    }
  });

  it('reads one byte at a time', async () => {
    const bytes = Buffer.from('{"a":"ü"}\r\n{"b":"🩺"}', 'utf8');
    const oneByOne = [...bytes].map((b) => Uint8Array.of(b));
    expect(await collect(oneByOne)).toEqual([
      { line: 1, text: '{"a":"ü"}' },
      { line: 2, text: '{"b":"🩺"}' },
    ]);
  });

  it('reads a Readable stream and a Buffer', async () => {
    expect(await collect(Readable.from(['{"a":1}\n{"b":2}\n']))).toHaveLength(2);
    expect(await collect(Buffer.from('{"a":1}\n'))).toEqual([{ line: 1, text: '{"a":1}' }]);
  });

  it('a line over the limit is an error on its line, and the stream goes on', async () => {
    const long = `{"x":"${'a'.repeat(50)}"}`;
    const items = await collect(['{"a":1}\n', long.slice(0, 20), long.slice(20), '\n{"b":2}\n'], 30);
    expect(summary(items)).toEqual([
      { line: 1, text: '{"a":1}' },
      { line: 2, code: 'PRESCREEN_LINE_TOO_LONG' },
      { line: 3, text: '{"b":2}' },
    ]);
  });

  it('the limit counts bytes without the line ending; a last line over it is reported too', async () => {
    expect(await collect('12345\r\n123456', 5)).toEqual([
      { line: 1, text: '12345' },
      { line: 2, error: expect.objectContaining({ code: 'PRESCREEN_LINE_TOO_LONG' }) },
    ]);
    expect(summary(await collect('123456\r\n', 5))).toEqual([{ line: 1, code: 'PRESCREEN_LINE_TOO_LONG' }]);
  });

  it('does not buffer an over-long line: a 64 MiB line with a 1 KiB limit streams through', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    function* source() {
      for (let i = 0; i < 64; i++) yield chunk;
      yield Buffer.from('\n{"ok":true}\n');
    }
    const before = process.memoryUsage().arrayBuffers;
    const items = await collect(source(), 1024);
    expect(summary(items)).toEqual([
      { line: 1, code: 'PRESCREEN_LINE_TOO_LONG' },
      { line: 2, text: '{"ok":true}' },
    ]);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(32 * 1024 * 1024);
  });

  it('a line that is not UTF-8 is an error on its line, and the stream goes on', async () => {
    const bytes = Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}\n{"b":1}\n')]);
    expect(summary(await collect(bytes))).toEqual([
      { line: 1, code: 'PRESCREEN_NOT_JSON' },
      { line: 2, text: '{"b":1}' },
    ]);
  });

  it('a byte-order mark is dropped at the start, and only there', async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const items = await collect(Buffer.concat([bom, Buffer.from('{"a":1}\n'), bom, Buffer.from('{"b":2}')]));
    expect(items).toEqual([
      { line: 1, text: '{"a":1}' },
      { line: 2, text: '\uFEFF{"b":2}' },
    ]);
  });
});
