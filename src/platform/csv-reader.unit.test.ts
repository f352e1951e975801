import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, readCsv } from './csv-reader.ts';

async function all(chunks: string[]) {
  const out: { line: number; cells: string[] }[] = [];
  for await (const record of readCsv(Readable.from(chunks))) out.push(record);
  return out;
}

describe('reading CSV as it streams', () => {
  it('handles quotes, doubled quotes, CRLF and a byte-order mark, split across chunks anywhere', async () => {
    const text = '\ufeffa,b,c\r\n1,"x, ""y""",3\r\n"multi\nline",,z\n';
    const expected = [
      { line: 1, cells: ['a', 'b', 'c'] },
      { line: 2, cells: ['1', 'x, "y"', '3'] },
      { line: 3, cells: ['multi\nline', '', 'z'] },
    ];
    expect(await all([text])).toEqual(expected);
    for (let cut = 1; cut < text.length; cut++) expect(await all([text.slice(0, cut), text.slice(cut)])).toEqual(expected);
  });

  it('skips blank lines but keeps counting them, and reads a last line without a newline', async () => {
    expect(await all(['a,b\n\n1,2'])).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 3, cells: ['1', '2'] },
    ]);
  });

  it('names the line of a broken quote', async () => {
    await expect(all(['a,b\n1,"open\n'])).rejects.toThrow(new CsvSyntaxError(2, 'a quoted cell is never closed'));
    await expect(all(['a,b\n1,x"y\n'])).rejects.toThrow(/line 2: a quote/);
  });
});
