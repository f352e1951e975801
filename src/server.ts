import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from './app.ts';
import { startEmailIntake } from './features/crisis-reports/smtp-intake.ts';
import { demoAccounts } from './features/demo/demo.data.ts';
import { databaseIsEmpty, seedDemoDistrict } from './features/demo/demo.seed.ts';
import { startWorker } from './jobs/worker.ts';
import type { Config } from './platform/config.ts';
import { openRuntime } from './platform/runtime.ts';
import { randomToken } from './platform/secrets.ts';

const webDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../web/dist');

/**
 * Starts Haven: database (embedded unless DATABASE_URL), migrations, the demo district on an
 * empty database when asked, then the HTTP server. Stops cleanly on SIGINT and SIGTERM.
 */
export async function serve(config: Config, print: (line: string) => void = console.log) {
  const runtime = await openRuntime(config, { log: print, attach: false });
  let demoPassword: string | undefined;
  try {
    if (config.demo && (await databaseIsEmpty(runtime.deps))) {
      demoPassword = config.demoPassword ?? randomToken(12);
      print('Seeding the demo district (first start)...');
      const seeded = await seedDemoDistrict(runtime.deps, demoPassword);
      print(`Seeded "${seeded.district.name}": ${seeded.students} students, ${seeded.guardians} guardians.`);
      if (runtime.embedded && !config.demoPassword) {
        fs.writeFileSync(path.join(config.dataDir, 'demo-password'), `${demoPassword}\n`, { mode: 0o600 });
      }
    } else if (config.demo) {
      demoPassword = config.demoPassword ?? readIfExists(path.join(config.dataDir, 'demo-password'));
    }
  } catch (error) {
    await runtime.close();
    throw error;
  }

  const app = await buildApp(runtime.deps, {
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
    trustProxy: config.trustProxy,
    signInPerMinute: config.signInPerMinute,
    intakePerMinute: config.intakePerMinute,
    webDist,
  });
  await runtime.deps.live.start();
  // HAVEN_WORKER=separate: `haven worker` processes route reports and run the background work.
  const worker = config.worker === 'inline' ? startWorker(runtime.deps, { log: print }) : undefined;
  const emailIntake = config.smtpIntakePort
    ? await startEmailIntake(runtime.deps, {
        port: config.smtpIntakePort,
        host: config.host,
        tls: config.smtpTls && { cert: fs.readFileSync(config.smtpTls.certFile), key: fs.readFileSync(config.smtpTls.keyFile) },
        log: print,
      })
    : undefined;
  let closing: Promise<void> | undefined;
  const stop = () => {
    closing ??= (async () => {
      await app.close();
      await emailIntake?.close();
      await worker?.stop();
      await runtime.deps.live.stop();
      await runtime.close();
    })();
    return closing;
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      print(`\n${signal} received: stopping Haven...`);
      stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await stop();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(`Port ${config.port} on ${config.host} is already in use. Stop what uses it, or set PORT to another number.`);
    }
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = config.publicUrl.includes(`:${config.port}`) ? config.publicUrl.replace(`:${config.port}`, `:${port}`) : config.publicUrl;
  print('');
  print(`Haven is running at ${url}`);
  if (config.demo) {
    print('Demo district "demo": sign in with any of these accounts:');
    for (const account of demoAccounts) print(`  ${account.email.padEnd(30)} ${account.displayName}, ${account.as}`);
    print(demoPassword ? `  password: ${demoPassword}` : '  password: the HAVEN_DEMO_PASSWORD the district was seeded with');
  }
  if (emailIntake) print(`E-mail reports: SMTP on ${config.host}:${emailIntake.port}${config.smtpTls ? ' (STARTTLS)' : ''}`);
  if (!runtime.deps.sms.configured) print('Texts and calls are not set up (HAVEN_SMS_*): crisis alerts reach people in the app, by push and by e-mail only.');
  if (!config.operatorEmail) print('HAVEN_OPERATOR_EMAIL is not set: texts and e-mail to numbers no district owns are held silently (`haven channel held`).');
  if (!worker) print('Background work is off in this server (HAVEN_WORKER=separate): run `haven worker` beside it, or reports wait unrouted.');
  print(`Ask for help (public form): ${url}/report`);
  print(`Student screening (code from the proctor): ${url}/screen`);
  print('Press Ctrl+C to stop.');
  return { app, url, stop };
}

/**
 * `haven worker`: the background work in a process of its own, so routing never shares an event
 * loop with HTTP under load (decision 42). Several may run beside several servers: they share the
 * queue and the timers through the database (SKIP LOCKED, idempotent replay). Woken by
 * LISTEN/NOTIFY when a server queues reports. Stops cleanly on SIGINT and SIGTERM.
 */
export async function runWorker(config: Config, print: (line: string) => void = console.log) {
  const runtime = await openRuntime(config, { log: print, attach: true });
  const worker = startWorker(runtime.deps, { log: print, listenUrl: runtime.appUrl });
  let closing: Promise<void> | undefined;
  const stop = () => {
    closing ??= (async () => {
      await worker.stop();
      await runtime.close();
    })();
    return closing;
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      print(`\n${signal} received: stopping the Haven worker...`);
      stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
  print('Haven worker is running: routing queued reports, escalations, reminders and the outbox. Press Ctrl+C to stop.');
  return { stop };
}

function readIfExists(file: string): string | undefined {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : undefined;
}
