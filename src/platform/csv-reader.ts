import type { Readable } from 'node:stream';

/** One CSV record and the line of the file it starts on (1-based), for line-precise messages. */
export type CsvRecord = { line: number; cells: string[] };

export class CsvSyntaxError extends Error {
  constructor(
    public readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

/**
 * Reads RFC 4180 CSV as it streams in (quoted cells, doubled quotes, line breaks inside quotes,
 * CRLF or LF, a UTF-8 byte-order mark), so a million-row file never has to fit in memory.
 */
export async function* readCsv(input: Readable | AsyncIterable<string | Buffer> | Iterable<string>): AsyncGenerator<CsvRecord> {
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let afterQuote = false;
  let line = 1;
  let recordLine = 1;
  let first = true;
  let pendingCr = false;
  // A quote at the very end of a chunk may be the first half of a doubled quote: decide next time.
  let carry = '';
  for await (const chunk of input) {
    let text = carry + (typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
    carry = '';
    if (first) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (pendingCr) {
        pendingCr = false;
        if (c === 10) {
          start = i + 1;
          continue;
        }
      }
      if (quoted) {
        if (c === 34) {
          if (i === text.length - 1) {
            cell += text.slice(start, i);
            start = text.length;
            carry = '"';
            break;
          }
          if (text.charCodeAt(i + 1) === 34) {
            cell += text.slice(start, i + 1);
            i++;
            start = i + 1;
          } else {
            cell += text.slice(start, i);
            quoted = false;
            afterQuote = true;
            start = i + 1;
          }
        } else if (c === 10) line++;
        continue;
      }
      if (c === 44) {
        cells.push(cell + text.slice(start, i));
        cell = '';
        afterQuote = false;
        start = i + 1;
      } else if (c === 10 || c === 13) {
        cells.push(cell + text.slice(start, i));
        cell = '';
        afterQuote = false;
        if (!(cells.length === 1 && cells[0] === '')) yield { line: recordLine, cells };
        cells = [];
        line++;
        recordLine = line;
        start = i + 1;
        if (c === 13) pendingCr = true;
      } else if (c === 34) {
        if (cell !== '' || i > start)
          throw new CsvSyntaxError(line, 'a quote (") in the middle of an unquoted cell; put the whole cell in quotes and double the quote');
        quoted = true;
        start = i + 1;
      } else if (afterQuote) {
        throw new CsvSyntaxError(line, 'text after a closing quote; a quoted cell must end at a comma or the end of the line');
      }
    }
    cell += text.slice(start);
  }
  if (carry) {
    quoted = false; // the file ended on a closing quote
  }
  if (quoted) throw new CsvSyntaxError(recordLine, 'a quoted cell is never closed');
  if (cell !== '' || cells.length > 0) {
    cells.push(cell);
    yield { line: recordLine, cells };
  }
}
