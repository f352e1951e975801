import fs from 'node:fs';
import path from 'node:path';
import { CsvSyntaxError, readCsv } from '../../platform/csv-reader.ts';
import { badRequest } from '../../platform/errors.ts';
import { readZip, type ZipLimits, ZipRefused } from '../../platform/zip.ts';
import { type DirectoryIn, HsdsUnreadable, isDoc, readNested, storable } from './hsds.rules.ts';
import { declaredTypes, hsdsTables, readTables, type Tables, tableName } from './hsds-tables.rules.ts';

/** A directory is a few dozen tables of a few thousand rows; these bounds leave room and stop a zip bomb. */
export const hsdsZipLimits: ZipLimits = { maxEntries: 64, maxEntryBytes: 64 * 1024 * 1024, maxTotalBytes: 256 * 1024 * 1024 };

const isZip = (bytes: Uint8Array) => bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5);
const wanted = (name: string) => name.toLowerCase() === 'datapackage.json' || hsdsTables.has(tableName(name));

/**
 * Reads HSDS 3.1 from any of the forms it is published in: a .json file (a service, a list, an
 * organization with its services, a service_at_location, an API page), a datapackage (a folder of
 * CSVs with or without datapackage.json, the datapackage.json itself, or a .zip of them). A file
 * Haven cannot read at all is a 400 naming it (and the line, for CSV), and nothing is imported.
 */
export async function readHsds(source: string): Promise<DirectoryIn> {
  try {
    if (fs.statSync(source).isDirectory()) return await readPackage(folderFiles(source));
    const bytes = fs.readFileSync(source);
    if (isZip(bytes)) return await readHsdsBytes(path.basename(source), bytes);
    const json = parseJson(path.basename(source), bytes);
    if (isDatapackage(json)) return await readPackage(folderFiles(path.dirname(source)));
    return readNested(storable(json));
  } catch (error) {
    throw unreadable(error);
  }
}

/** Reads an uploaded file: a .zip datapackage or HSDS JSON. */
export async function readHsdsBytes(name: string, bytes: Uint8Array): Promise<DirectoryIn> {
  try {
    if (isZip(bytes)) {
      const files = new Map<string, string>();
      for (const [entry, content] of readZip(bytes, wanted, hsdsZipLimits)) files.set(entry.toLowerCase(), new TextDecoder().decode(content));
      return await readPackage(files);
    }
    return readNested(storable(parseJson(name, bytes)));
  } catch (error) {
    throw unreadable(error);
  }
}

function unreadable(error: unknown) {
  if (error instanceof HsdsUnreadable || error instanceof ZipRefused) return badRequest(`${error.message} Nothing was imported.`);
  // Objects nested thousands deep exhaust the stack while being read: no directory is written so.
  if (error instanceof RangeError) return badRequest('The file is nested too deeply to be HSDS. Nothing was imported.');
  return error;
}

function parseJson(name: string, bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new HsdsUnreadable(`${name} is not valid JSON (${(error as Error).message}).`);
  }
}

const isDatapackage = (json: unknown) => isDoc(json) && Array.isArray(json.resources) && !('id' in json);

/** The HSDS tables and datapackage.json of a folder, by lower-cased name. */
function folderFiles(folder: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of fs.readdirSync(folder))
    if (wanted(name) && fs.statSync(path.join(folder, name)).isFile()) files.set(name.toLowerCase(), fs.readFileSync(path.join(folder, name), 'utf8'));
  return files;
}

/** Parses the package's CSVs by header name (any letter case) and reads them as one directory. */
async function readPackage(files: Map<string, string>): Promise<DirectoryIn> {
  const descriptor = files.get('datapackage.json');
  const types = declaredTypes(descriptor === undefined ? undefined : parseJson('datapackage.json', new TextEncoder().encode(descriptor)));
  const tables: Tables = new Map();
  for (const [name, text] of files) {
    if (name === 'datapackage.json') continue;
    const file = tableName(name);
    const rows: { line: number; cells: Record<string, string> }[] = [];
    let header: string[] | undefined;
    try {
      for await (const record of readCsv([text])) {
        if (!header) header = record.cells.map((h) => (storable(h) as string).trim().toLowerCase());
        else {
          // By header name; a column without a name, or named twice, is read once.
          const cells: Record<string, string> = {};
          for (const [i, h] of header.entries())
            if (h && h !== '__proto__' && !Object.hasOwn(cells, h)) cells[h] = storable((record.cells[i] ?? '').trim()) as string;
          rows.push({ line: record.line, cells });
        }
      }
    } catch (error) {
      if (error instanceof CsvSyntaxError) throw new HsdsUnreadable(`${name} ${error.message}.`);
      throw error;
    }
    tables.set(file, [...(tables.get(file) ?? []), ...rows]);
  }
  if (![...tables.keys()].some((t) => ['organizations.csv', 'services.csv', 'service_at_location.csv'].includes(t)))
    throw new HsdsUnreadable('No HSDS tables were found: a datapackage holds organizations.csv, services.csv and the other HSDS 3.1 tables.');
  return readTables(tables, types);
}
