import { createReadStream, readFileSync, statSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { toCsv } from '../../platform/csv.ts';
import type { Runtime } from '../../platform/runtime.ts';
import { findDistrictBySlug } from '../districts/index.ts';
import { importResults } from './import.service.ts';
import { InvalidDefinition, importInstrument } from './instruments.service.ts';
import { shippedInstruments } from './library.ts';
import type { ScoreResult } from './scoring.rules.ts';

type Helpers = {
  print: (line: string) => void;
  withRuntime: (work: (runtime: Runtime) => Promise<number | undefined>) => Promise<number>;
  exit: (code: number) => void;
};

/**
 * `haven score` scores answers with a shipped instrument and needs no database, so a clinician or
 * a test can check a rule from the shell. Exit 0: scorable; 2: invalid input, with `errors`.
 */
export function registerScreeningCommands(program: Command, { print, withRuntime, exit }: Helpers): void {
  program
    .command('score <instrument>')
    .description('score answers with an instrument (phq-9, phq-a, gad-7, asq, srss-ie) and print the result as JSON')
    .requiredOption('--answers <json>', 'JSON object of item id -> answer, e.g. \'{"q1": 2, "q9": null}\'')
    .option('--context <json>', 'JSON object of context values, e.g. \'{"grade": 7}\' for the SRSS-IE')
    .action((id: string, options: { answers: string; context?: string }) => {
      const failed = (message: string): ScoreResult => ({
        instrument: id,
        version: '',
        score: null,
        band: null,
        valid: false,
        prorated: false,
        subscales: {},
        flags: [],
        actions: [],
        errors: [message],
        errorsEs: [],
      });
      const instrument = shippedInstruments().get(id);
      let result: ScoreResult;
      if (!instrument) result = failed(`unknown instrument "${id}"; Haven ships ${[...shippedInstruments().keys()].join(', ')}`);
      else {
        const answers = parseJson(options.answers, '--answers');
        const context = options.context === undefined ? undefined : parseJson(options.context, '--context');
        if ('error' in answers) result = failed(answers.error);
        else if (context && 'error' in context) result = failed(context.error);
        else result = instrument.score(answers.value, context?.value);
      }
      // The command speaks English; its JSON keeps the shape the API's /score answers.
      const { errorsEs: _spanish, ...printed } = result;
      print(JSON.stringify(printed, null, 2));
      exit(result.valid ? 0 : 2);
    });

  const instruments = program.command('instruments').description("a district's instrument library");
  instruments
    .command('import <file>')
    .description("validate and store a district's own instrument definition (a new version is kept beside the old ones)")
    .requiredOption('--district <slug>', 'district slug')
    .action(async (file: string, options: { district: string }) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        process.stderr.write(`Cannot read ${file}.\n`);
        return exit(2);
      }
      exit(
        await withRuntime(async ({ deps }) => {
          const district = await findDistrictBySlug(deps, options.district);
          try {
            const imported = await importInstrument(deps, district.id, text, file);
            print(`${imported.status === 'imported' ? 'Imported' : 'Unchanged:'} ${imported.id} version ${imported.version} for ${district.slug}.`);
            return 0;
          } catch (error) {
            if (!(error instanceof InvalidDefinition)) throw error;
            process.stderr.write(`${error.message}\nNothing was stored.\n`);
            return 2;
          }
        }),
      );
    });
  importCommand(program)
    .command('results <file>')
    .description('import screening results from another survey tool (CSV: student_id, administered_at, instrument, one column per item)')
    .requiredOption('--district <slug>', 'district slug')
    .option('--instrument <id>', 'the instrument of every row, when the file has no "instrument" column')
    .option('--skip-invalid', 'import the valid rows and report the rest (default: all or nothing)')
    .option('--errors <path>', 'where to write the error report (default: <file>.errors.csv)')
    .action(async (file: string, options: { district: string; instrument?: string; skipInvalid?: boolean; errors?: string }) => {
      let size: number;
      try {
        size = statSync(file).size;
      } catch {
        process.stderr.write(`Cannot read ${file}.\n`);
        return exit(2);
      }
      exit(
        await withRuntime(async ({ deps }) => {
          const district = await findDistrictBySlug(deps, options.district);
          let read = 0;
          // Counting through a generator, not a 'data' listener: a listener would take chunks from the reader.
          const counted = (async function* () {
            for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
              read += (chunk as string).length;
              yield chunk as string;
            }
          })();
          const started = performance.now();
          const summary = await importResults(deps, district.id, counted, {
            instrument: options.instrument,
            skipInvalid: options.skipInvalid ?? false,
            by: { userId: null, label: 'system: command line import' },
            onProgress: (rows) => process.stderr.write(`\r${progressBar(read / size)} ${rows.toLocaleString('en-US')} rows`),
          });
          process.stderr.write(`\r${progressBar(1)} ${summary.rows.toLocaleString('en-US')} rows in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
          if (summary.errors.length > 0) {
            const report = options.errors ?? `${file}.errors.csv`;
            writeFileSync(
              report,
              toCsv(
                ['line', 'problem'],
                summary.errors.map((e) => [e.line, e.message]),
              ),
            );
            for (const e of summary.errors.slice(0, 10)) process.stderr.write(`line ${e.line}: ${e.message}\n`);
            if (summary.errors.length > 10) process.stderr.write(`… and ${summary.errors.length - 10} more.\n`);
            process.stderr.write(`Error report: ${report}\n`);
          }
          const kept = summary.keptForSafety > 0 ? ` ${summary.keptForSafety} row(s) showing suicide risk were stored all the same and alerted.` : '';
          const again = summary.alreadyStored > 0 ? ` ${summary.alreadyStored} risk row(s) were already stored by an earlier try.` : '';
          const consent = summary.noConsent > 0 ? ` ${summary.noConsent} row(s) were refused for lack of consent (see the lines above).` : '';
          if (!summary.committed) {
            print(`Nothing else was imported: ${summary.rejected} row(s) have problems. Fix them, or use --skip-invalid to import the rest.${consent}${kept}`);
            return 2;
          }
          print(
            `Imported ${summary.imported} result(s) into ${district.slug}; ${summary.rejected} rejected; ${summary.alerts} alert(s) raised.${consent}${kept}${again}`,
          );
          return 0;
        }),
      );
    });

  instruments
    .command('list')
    .description('list the instruments Haven ships')
    .action(() => {
      for (const { definition } of shippedInstruments().values()) print(`${definition.id}\t${definition.version}\t${definition.title.en}`);
    });
}

/** `haven import …`: one command group that several features add their formats to. */
export function importCommand(program: Command): Command {
  return program.commands.find((c) => c.name() === 'import') ?? program.command('import').description('bring data in from other systems');
}

function progressBar(fraction: number): string {
  const filled = Math.round(Math.min(1, fraction) * 30);
  return `[${'#'.repeat(filled)}${'.'.repeat(30 - filled)}] ${Math.round(Math.min(1, fraction) * 100)}%`;
}

function parseJson(text: string, option: string): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    return { error: `${option} is not valid JSON: ${(error as Error).message}` };
  }
}
