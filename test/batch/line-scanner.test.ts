// The bytes-first NDJSON scanner: line numbers as an editor shows them, CRLF, blank lines, a
// last line without LF, lines across chunk boundaries, too-long lines dropped, and the
// `Patient/<id>` markers the gather pass keys on.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeLine, patientIdsAt, scanLines } from '../../src/batch/line-scanner.js';
import { tempDir } from './helpers.js';

const tmp = tempDir('scanner');
afterAll(() => tmp.remove());

async function scan(content: string | Buffer, options: { chunkBytes?: number; maxLineBytes?: number } = {}) {
  const path = join(tmp.dir, `f-${Math.random()}.ndjson`);
  writeFileSync(path, content);
  const lines: { n: number; text: string; ids: string[] }[] = [];
  const tooLong: number[] = [];
  await scanLines(
    path,
    {
      line(bytes, start, end, n, marker) {
        lines.push({ n, text: bytes.toString('utf8', start, end), ids: marker >= 0 ? patientIdsAt(bytes, marker, end) : [] });
      },
      tooLong: (n) => tooLong.push(n),
    },
    options,
  );
  return { lines, tooLong };
}

describe('scanLines', () => {
  it('numbers lines like an editor, skipping blank ones, with CRLF and no final LF', async () => {
    const { lines } = await scan('{"a":1}\r\n\n  \r\n{"b":"Patient/p-1"}\n{"c":3}');
    expect(lines.map((l) => [l.n, l.text])).toEqual([
      [1, '{"a":1}'],
      [4, '{"b":"Patient/p-1"}'],
      [5, '{"c":3}'],
    ]);
    expect(lines[1]!.ids).toEqual(['p-1']);
  });

  it('gives the same lines whatever the chunk size, and drops too-long lines by number', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => JSON.stringify({ i, subject: { reference: `Patient/x${i}` }, pad: 'é'.repeat(i) }));
    rows[20] = JSON.stringify({ pad: 'x'.repeat(500) });
    const content = rows.join('\n') + '\n';
    const big = await scan(content, { maxLineBytes: 300 });
    const small = await scan(content, { chunkBytes: 64, maxLineBytes: 300 });
    expect(small).toEqual(big);
    expect(big.tooLong).toEqual([21]);
    expect(big.lines).toHaveLength(49);
    expect(big.lines[5]).toMatchObject({ n: 6, ids: ['x5'] });
  });

  it('finds every Patient/ id in a line, relative or inside an absolute URL', async () => {
    const { lines } = await scan('{"subject":{"reference":"https://ehr.example/fhir/Patient/a.1"},"performer":[{"reference":"Patient/b-2/_history/3"}]}\n');
    expect(lines[0]!.ids).toEqual(['a.1', 'b-2']);
  });

  it('decodes strictly: bad UTF-8 and bad JSON are told apart; a BOM on line 1 is fine', () => {
    const bom = Buffer.from('\ufeff{"resourceType":"Patient"}', 'utf8');
    expect(decodeLine(bom, 0, bom.length, 1)).toMatchObject({ ok: true, value: { resourceType: 'Patient' } });
    const bad = Buffer.from([0x7b, 0xff, 0x7d]);
    expect(decodeLine(bad, 0, bad.length, 2)).toEqual({ ok: false, reason: 'not-utf8' });
    const notJson = Buffer.from('{nope');
    expect(decodeLine(notJson, 0, notJson.length, 2)).toEqual({ ok: false, reason: 'not-json' });
  });
});
