import { type Command, Option } from 'commander';
import { identityProviderPresets } from '../../data/sso.ts';
import type { Runtime } from '../../platform/runtime.ts';
import { findDistrictBySlug } from '../districts/index.ts';
import { addProviderFromCommandLine, deleteProvider, listAllProviders, redirectUri } from './identity-providers.service.ts';
import { presets } from './sso.rules.ts';

type Helpers = {
  print: (line: string) => void;
  withRuntime: (work: (runtime: Runtime) => Promise<number | undefined>) => Promise<number>;
  exit: (code: number) => void;
};

/**
 * `haven sso ...`: a district's OpenID Connect identity providers, for the operator (the district
 * administrator does the same under District settings). The secret is stored encrypted and never printed.
 */
export function registerSsoCommands(program: Command, { print, withRuntime, exit }: Helpers): void {
  const sso = program.command('sso').description("districts' single sign-on (OpenID Connect identity providers)");
  sso
    .command('add')
    .description('let a district sign in through an identity provider (Google Workspace, Microsoft Entra ID, Clever, ClassLink or any OpenID Connect one)')
    .requiredOption('--district <slug>', 'district slug')
    .option('--issuer <url>', 'the issuer URL (its /.well-known/openid-configuration is read at sign-in)')
    .requiredOption('--client-id <id>', 'the client id the provider gave Haven')
    .requiredOption('--client-secret <secret>', 'the client secret the provider gave Haven')
    .requiredOption('--domains <list>', 'e-mail domains whose people sign in through it, comma-separated')
    .addOption(new Option('--preset <name>', 'the kind of provider').choices([...identityProviderPresets]).default('generic'))
    .option('--label <name>', 'the name on the sign-in button (default: the preset name)')
    .option('--email-claim <claim>', 'the ID token claim holding the e-mail (default: email)')
    .action(
      async (options: {
        district: string;
        issuer?: string;
        clientId: string;
        clientSecret: string;
        domains: string;
        preset: (typeof identityProviderPresets)[number];
        label?: string;
        emailClaim?: string;
      }) => {
        exit(
          await withRuntime(async ({ deps }) => {
            const district = await findDistrictBySlug(deps, options.district);
            const added = await addProviderFromCommandLine(deps, district.id, {
              preset: options.preset,
              label: options.label,
              issuer: options.issuer ?? presets[options.preset].issuer ?? '',
              clientId: options.clientId,
              clientSecret: options.clientSecret,
              domains: options.domains,
              emailClaim: options.emailClaim,
            });
            print(`${district.slug}: people at ${added.domains.join(', ')} can now sign in with ${added.label} (${added.issuer}). Provider id: ${added.id}`);
            print(`Register this redirect URI at the provider: ${redirectUri(deps)}`);
            print(`District sign-in link: ${deps.settings.publicUrl}/sign-in/${district.slug}`);
            return 0;
          }),
        );
      },
    );
  sso
    .command('list')
    .description('list identity providers and their domains (never the secret)')
    .option('--district <slug>', 'only this district')
    .action(async (options: { district?: string }) => {
      exit(
        await withRuntime(async ({ deps }) => {
          const district = options.district ? await findDistrictBySlug(deps, options.district) : undefined;
          const rows = await listAllProviders(deps, district?.id);
          if (rows.length === 0) print(district ? `${district.slug} has no identity provider yet.` : 'No district has an identity provider yet.');
          for (const row of rows) print(`${row.district}\t${row.id}\t${row.label}\t${row.issuer}\t${row.domains.join(',')}`);
          return 0;
        }),
      );
    });
  sso
    .command('remove <provider-id>')
    .description('remove an identity provider; sessions started through it end')
    .requiredOption('--district <slug>', 'district slug')
    .action(async (providerId: string, options: { district: string }) => {
      exit(
        await withRuntime(async ({ deps }) => {
          const district = await findDistrictBySlug(deps, options.district);
          await deleteProvider(deps, district.id, providerId, { userId: null, label: 'system: command line' });
          print(`Removed the identity provider ${providerId} from ${district.slug}.`);
          return 0;
        }),
      );
    });
}
