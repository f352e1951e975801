import fs from 'node:fs';
import type { Command } from 'commander';
import type { Runtime } from '../../platform/runtime.ts';
import { findDistrictBySlug } from '../districts/index.ts';
import { importCommand } from '../screening/index.ts';
import { exportDirectory, importDirectory, readHsds } from './hsds.service.ts';

type Helpers = {
  print: (line: string) => void;
  withRuntime: (work: (runtime: Runtime) => Promise<number | undefined>) => Promise<number>;
  exit: (code: number) => void;
};

/** `haven import hsds` and `haven export hsds`: the partner directory in Open Referral HSDS 3.x. */
export function registerHsdsCommands(program: Command, { print, withRuntime, exit }: Helpers): void {
  importCommand(program)
    .command('hsds <path>')
    .description(
      'import the partner directory from HSDS 3.1: a .json file (a service, a list of services, an organization with its services, a service_at_location), or a datapackage (folder of CSVs, datapackage.json, or .zip)',
    )
    .requiredOption('--district <slug>', 'district slug')
    .action(async (source: string, options: { district: string }) => {
      if (!fs.existsSync(source)) {
        process.stderr.write(`Cannot read ${source}.\n`);
        return exit(2);
      }
      exit(
        await withRuntime(async ({ deps }) => {
          const district = await findDistrictBySlug(deps, options.district);
          const s = await importDirectory(deps, district.id, await readHsds(source), 'system: command line HSDS import');
          const line = (name: string, c: { created: number; updated: number; unchanged: number }) =>
            `${name.padEnd(20)} ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged`;
          print(line('organizations', s.organizations));
          print(line('services', s.services));
          print(line('locations', s.locations));
          print(line('service_at_locations', s.serviceAtLocations));
          print(`rejected             ${s.rejected.length}`);
          for (const r of s.rejected.slice(0, 20)) print(`  ${r.record}${r.field ? ` ${r.field}` : ''}: ${r.reason}`);
          if (s.rejected.length > 20) print(`  ... and ${s.rejected.length - 20} more`);
          return 0;
        }),
      );
    });
  const exporting = program.commands.find((c) => c.name() === 'export') ?? program.command('export').description('write data out in open formats');
  exporting
    .command('hsds')
    .description('write the partner directory as HSDS 3.x JSON (an array of services with their organization and locations)')
    .requiredOption('--district <slug>', 'district slug')
    .requiredOption('--out <path>', 'the file to write')
    .action(async (options: { district: string; out: string }) => {
      exit(
        await withRuntime(async ({ deps }) => {
          const district = await findDistrictBySlug(deps, options.district);
          const services = await exportDirectory(deps, district.id);
          fs.writeFileSync(options.out, `${JSON.stringify(services, null, 2)}\n`);
          print(`Wrote ${services.length} service(s) to ${options.out}.`);
          return 0;
        }),
      );
    });
}
