import { Argument, type Command } from 'commander';
import { inboundChannelKinds } from '../../data/reports.ts';
import type { Runtime } from '../../platform/runtime.ts';
import { findDistrictBySlug } from '../districts/index.ts';
import { routeHeld } from './channel-intake.service.ts';
import type { InboundKind } from './inbound-channels.rules.ts';
import { addChannelForDistrict, listAllChannels, removeChannelByAddress } from './inbound-channels.service.ts';
import { closeHeld, listHeld } from './unrouted.service.ts';

type Helpers = {
  print: (line: string) => void;
  withRuntime: (work: (runtime: Runtime) => Promise<number | undefined>) => Promise<number>;
  exit: (code: number) => void;
};

const kindName = { sms: 'text (SMS)', email: 'e-mail' } as const;

/** One line of a held message, its words cut short and on one line: enough for the operator to find its district. */
function excerpt(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 79)}…` : flat;
}

/**
 * `haven channel ...`: which district receives texts and e-mail at which number or address, and
 * the messages that reached a number or address no district owns (held for the operator).
 */
export function registerChannelCommands(program: Command, { print, withRuntime, exit }: Helpers): void {
  const channel = program.command('channel').description('the numbers and addresses districts receive texts and e-mail on, and messages held for the operator');
  channel
    .command('add')
    .description('give a district a number (E.164, e.g. +17205550100) or an e-mail address to receive reports on')
    .addArgument(new Argument('<kind>', 'sms or email').choices([...inboundChannelKinds]))
    .argument('<address>', 'the number in E.164 form, or the e-mail address')
    .requiredOption('--district <slug>', 'district slug')
    .action(async (kind: InboundKind, address: string, options: { district: string }) => {
      exit(
        await withRuntime(async ({ deps }) => {
          const district = await findDistrictBySlug(deps, options.district);
          const added = await addChannelForDistrict(deps, district.id, kind, address);
          print(`${district.slug} now receives ${kindName[kind]} reports at ${added.address}.`);
          return 0;
        }),
      );
    });
  channel
    .command('list')
    .description('list the numbers and addresses, with their district')
    .option('--district <slug>', 'only this district')
    .action(async (options: { district?: string }) => {
      exit(
        await withRuntime(async ({ deps }) => {
          const district = options.district ? await findDistrictBySlug(deps, options.district) : undefined;
          const rows = await listAllChannels(deps, district?.id);
          if (rows.length === 0) print(district ? `${district.slug} has no number or address yet.` : 'No district has a number or address yet.');
          for (const row of rows) print(`${row.district}\t${row.kind}\t${row.address}`);
          return 0;
        }),
      );
    });
  channel
    .command('remove <address>')
    .description('stop receiving at a number or address (later messages to it are held for the operator)')
    .action(async (address: string) => {
      exit(
        await withRuntime(async ({ deps }) => {
          const removed = await removeChannelByAddress(deps, address);
          print(`Removed ${removed.address}.`);
          return 0;
        }),
      );
    });
  channel
    .command('held')
    .description('messages sent to a number or address no district owns, waiting for you')
    .action(async () => {
      exit(
        await withRuntime(async ({ deps }) => {
          const rows = await listHeld(deps);
          if (rows.length === 0) print('No message is waiting.');
          for (const row of rows)
            print(`${row.id}\t${row.receivedAt.toISOString()}\t${row.kind}\tto ${row.to || '(none)'}\t${row.language}\t${excerpt(row.body)}`);
          return 0;
        }),
      );
    });
  channel
    .command('route <id>')
    .description('send a held message to the district it was meant for: it becomes a report there, and the sender is told')
    .requiredOption('--district <slug>', 'district slug')
    .action(async (id: string, options: { district: string }) => {
      exit(
        await withRuntime(async ({ deps }) => {
          const routed = await routeHeld(deps, id, options.district);
          print(`The message is now report ${routed.reportId} in ${routed.districtSlug}; its team has been alerted.`);
          return 0;
        }),
      );
    });
  channel
    .command('close <id>')
    .description('close a held message that needs no district (spam, a test), with the reason')
    .requiredOption('--note <text>', 'why it is closed')
    .action(async (id: string, options: { note: string }) => {
      exit(
        await withRuntime(async ({ deps }) => {
          await closeHeld(deps, id, options.note);
          print(`Closed ${id}.`);
          return 0;
        }),
      );
    });
}
