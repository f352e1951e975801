import fs from 'node:fs';
import { Command, Option } from 'commander';
import { roles } from '../access/roles.ts';
import { districtsOfUser, findUserByEmail } from '../features/accounts/accounts.repository.ts';
import { apiTokenDaysProblem, apiTokenMaxDays, apiTokenScopes } from '../features/accounts/accounts.rules.ts';
import { createApiToken } from '../features/accounts/api-tokens.service.ts';
import { registerSsoCommands } from '../features/accounts/sso.cli.ts';
import { addUser } from '../features/accounts/users.service.ts';
import { registerChannelCommands } from '../features/crisis-reports/channels.cli.ts';
import { databaseIsEmpty, seedDemoDistrict } from '../features/demo/demo.seed.ts';
import { addDistrict, findDistrictBySlug, listDistricts } from '../features/districts/districts.service.ts';
import { registerHsdsCommands } from '../features/partners/hsds.cli.ts';
import { registerRosterCommands } from '../features/roster/roster.cli.ts';
import { registerScreeningCommands } from '../features/screening/screening.cli.ts';
import { type Anchor, readAnchors } from '../platform/audit/audit.rules.ts';
import { anchorDistrictChain, auditKey, verifyDistrictChain } from '../platform/audit/audit.ts';
import { ConfigError, loadConfig } from '../platform/config.ts';
import { AlreadyRunningError } from '../platform/db/embedded.ts';
import { HttpProblem } from '../platform/errors.ts';
import { openRuntime, type Runtime } from '../platform/runtime.ts';
import { randomToken } from '../platform/secrets.ts';
import { runWorker, serve } from '../server.ts';

/**
 * `haven` commands. They call feature services directly (never HTTP), against the same database
 * as the server, whether or not it is running.
 */
export async function main(argv: string[]): Promise<void> {
  const print = (line: string) => process.stdout.write(`${line}\n`);
  const withRuntime = async (work: (runtime: Runtime) => Promise<number | undefined>) => {
    const runtime = await openRuntime(loadConfig(process.env), { log: print, attach: true });
    try {
      return (await work(runtime)) ?? 0;
    } finally {
      await runtime.close();
    }
  };
  let exitCode = 0;
  const program = new Command('haven').description('Haven: school and community partnerships for student mental health').showHelpAfterError();

  program
    .command('serve')
    .description('start the web server (embedded PostgreSQL unless DATABASE_URL is set)')
    .option('--demo', 'seed the demo district when the database is empty (default unless HAVEN_DEMO=0)')
    .action(async (options: { demo?: boolean }) => {
      await serve(loadConfig(process.env, { demo: options.demo ?? false }), print);
      exitCode = -1;
    });

  program
    .command('worker')
    .description('route queued reports and run the background work (escalations, reminders, outbox) beside servers started with HAVEN_WORKER=separate')
    .action(async () => {
      await runWorker(loadConfig(process.env), print);
      exitCode = -1;
    });

  program
    .command('migrate')
    .description('apply pending database migrations')
    .action(async () => {
      exitCode = await withRuntime(async () => {
        print('Migrations are up to date.');
        return 0;
      });
    });

  program
    .command('seed')
    .description('seed data')
    .command('demo')
    .description('seed the fictional demo district into an empty database')
    .option('--password <password>', 'password for every demo account (default: HAVEN_DEMO_PASSWORD, or generated)')
    .action(async (options: { password?: string }) => {
      exitCode = await withRuntime(async ({ deps }) => {
        if (!(await databaseIsEmpty(deps))) {
          print('The database already has districts; the demo district is only seeded into an empty one.');
          return 1;
        }
        const password = options.password ?? process.env.HAVEN_DEMO_PASSWORD ?? randomToken(12);
        const seeded = await seedDemoDistrict(deps, password);
        print(`Seeded "${seeded.district.name}" (${seeded.students} students). Demo accounts' password: ${password}`);
        return 0;
      });
    });

  const district = program.command('district').description('manage districts (tenants)');
  district
    .command('add <slug>')
    .description('add a district')
    .requiredOption('--name <name>', 'display name, e.g. "Adams 12 Five Star Schools"')
    .option('--time-zone <zone>', 'IANA time zone', 'America/Denver')
    .action(async (slug: string, options: { name: string; timeZone: string }) => {
      exitCode = await withRuntime(async ({ deps }) => {
        const created = await addDistrict(deps, { slug, name: options.name, timeZone: options.timeZone });
        print(`Added district ${created.slug} (${created.name}), id ${created.id}.`);
        return 0;
      });
    });
  district
    .command('list')
    .description('list districts')
    .action(async () => {
      exitCode = await withRuntime(async ({ deps }) => {
        for (const d of await listDistricts(deps)) print(`${d.slug}\t${d.name}\t${d.timeZone}`);
        return 0;
      });
    });

  program
    .command('user')
    .description('manage accounts')
    .command('add')
    .description('add a person to a district with a role (or add a role to an existing person)')
    .requiredOption('--district <slug>', 'district slug')
    .requiredOption('--email <email>', 'their e-mail address (the sign-in name)')
    .addOption(new Option('--role <role>', 'role to grant').choices([...roles]).makeOptionMandatory())
    .option('--school <code>', 'limit the role to one school (default: district-wide)')
    .option('--name <name>', 'display name')
    .option('--partner-org <id>', 'partner organization id (role partner)')
    .option('--password <password>', 'set a password now instead of printing a set-password link')
    .action(async (options: { district: string; email: string; role: string; school?: string; name?: string; partnerOrg?: string; password?: string }) => {
      exitCode = await withRuntime(async ({ deps }) => {
        const target = await findDistrictBySlug(deps, options.district);
        const added = await addUser(deps, {
          districtId: target.id,
          email: options.email,
          role: options.role,
          displayName: options.name,
          schoolCode: options.school,
          partnerOrganizationId: options.partnerOrg,
          password: options.password,
        });
        print(`${added.created ? 'Added' : 'Updated'} ${added.email}: ${options.role}${options.school ? ` at ${options.school}` : ''} in ${target.slug}.`);
        if (added.setPasswordLink) print(`Send them this single-use link (valid 7 days) to choose a password:\n  ${added.setPasswordLink}`);
        return 0;
      });
    });

  program
    .command('token')
    .description('API tokens for scripts and integrations')
    .command('create')
    .description('create a bearer token acting as a user, read-only or full, expiring after N days; it is printed once')
    .requiredOption('--email <email>', 'the user the token acts as')
    .requiredOption('--name <name>', 'what the token is for, e.g. "nightly roster sync"')
    .option('--district <slug>', "district the token acts in (default: the user's first)")
    .addOption(new Option('--scope <scope>', 'read: GET and HEAD only; full: whatever the user may do').choices([...apiTokenScopes]).default('read'))
    .option('--days <n>', `days until it expires, 1 to ${apiTokenMaxDays} (there is no "never")`, '90')
    .action(async (options: { email: string; name: string; district?: string; scope: string; days: string }) => {
      const days = /^\d+$/.test(options.days) ? Number(options.days) : Number.NaN;
      const daysProblem = apiTokenDaysProblem(days);
      if (daysProblem) {
        process.stderr.write(`--days ${options.days}: ${daysProblem}\n`);
        exitCode = 2;
        return;
      }
      exitCode = await withRuntime(async ({ deps }) => {
        const user = await findUserByEmail(deps.db.system, options.email);
        if (!user) throw new HttpProblem(400, 'Unknown user', `There is no user with the e-mail ${options.email}.`);
        const mine = await districtsOfUser(deps.db.system, user.id);
        const target = options.district ? mine.find((d) => d.slug === options.district) : mine[0];
        if (!target) throw new HttpProblem(400, 'No grant', `${options.email} has no role in ${options.district ?? 'any district'}.`);
        const created = await createApiToken(
          deps,
          { userId: user.id, districtId: target.id, name: options.name, scope: options.scope, days },
          { userId: null, label: 'system: command line' },
        );
        print(created.token);
        const access = created.scope === 'read' ? 'read-only' : 'full access';
        process.stderr.write(
          `Token "${created.name}" (id ${created.id}, ${access}) acts as ${user.email} in ${target.slug} until ${created.expiresAt.toISOString()}. It is shown only now; store it safely.\n`,
        );
        return 0;
      });
    });

  const audit = program.command('audit').description('the audit trail');
  audit
    .command('verify')
    .description("re-compute every district's hash chain; exit 1 at the first broken event")
    .option('--district <slug>', 'only this district')
    .option('--anchor <file>', 'also check the chain heads printed earlier by `haven audit anchor`')
    .action(async (options: { district?: string; anchor?: string }) => {
      let anchors: Map<string, Anchor>;
      try {
        anchors = options.anchor ? readAnchors(fs.readFileSync(options.anchor, 'utf8')) : new Map();
      } catch (error) {
        process.stderr.write(`${options.anchor}: ${error instanceof Error ? error.message : String(error)}\n`);
        exitCode = 2;
        return;
      }
      exitCode = await withRuntime(async ({ deps }) => {
        const targets = options.district ? [await findDistrictBySlug(deps, options.district)] : await listDistricts(deps);
        let broken = false;
        for (const d of targets) {
          const result = await verifyDistrictChain(deps.db.system, d.id, auditKey(deps.secrets), anchors.get(d.id));
          if (result.firstBreak) {
            broken = true;
            print(`${d.slug}: BROKEN at event #${result.firstBreak.sequence} (${result.firstBreak.eventId || 'no event'}): ${result.firstBreak.problem}`);
          } else {
            print(`${d.slug}: ok, ${result.events} events${anchors.has(d.id) ? ', matches its anchor' : ''}`);
          }
        }
        return broken ? 1 : 0;
      });
    });
  audit
    .command('anchor')
    .description("print each district's chain head, signed with the audit key, as JSON lines to keep outside the database")
    .option('--district <slug>', 'only this district')
    .action(async (options: { district?: string }) => {
      exitCode = await withRuntime(async ({ deps }) => {
        const targets = options.district ? [await findDistrictBySlug(deps, options.district)] : await listDistricts(deps);
        for (const d of targets) {
          const anchor = await anchorDistrictChain(deps.db.system, d.id, auditKey(deps.secrets));
          if (anchor) print(JSON.stringify({ district: d.slug, ...anchor }));
        }
        return 0;
      });
    });

  const helpers = {
    print,
    withRuntime,
    exit: (code: number) => {
      exitCode = code;
    },
  };
  registerScreeningCommands(program, helpers);
  registerRosterCommands(program, helpers);
  registerHsdsCommands(program, helpers);
  registerChannelCommands(program, helpers);
  registerSsoCommands(program, helpers);

  try {
    await program.parseAsync(argv);
  } catch (error) {
    exitCode = reportFailure(error);
  }
  if (exitCode >= 0) process.exit(exitCode);
}

function reportFailure(error: unknown): number {
  if (error instanceof ConfigError || error instanceof AlreadyRunningError) {
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
  if (error instanceof HttpProblem) {
    process.stderr.write(`${error.detail}\n`);
    return 2;
  }
  process.stderr.write(`Haven stopped with an unexpected error: ${(error as Error).stack ?? String(error)}\n`);
  return 1;
}
