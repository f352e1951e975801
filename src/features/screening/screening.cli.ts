import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Runtime } from '../../platform/runtime.ts';
import { findDistrictBySlug } from '../districts/districts.service.ts';
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
      print(JSON.stringify(result, null, 2));
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
  instruments
    .command('list')
    .description('list the instruments Haven ships')
    .action(() => {
      for (const { definition } of shippedInstruments().values()) print(`${definition.id}\t${definition.version}\t${definition.title.en}`);
    });
}

function parseJson(text: string, option: string): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    return { error: `${option} is not valid JSON: ${(error as Error).message}` };
  }
}
