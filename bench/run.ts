/**
 * Haven's benchmarks. Each prints Haven's figure beside a baseline measured in the same run.
 *   npm run bench                 start-up, sign-in, intake, alert latency
 *   npm run bench -- startup      cold/warm start and sign-in throughput
 *   npm run bench -- intake       intake throughput and alert latency
 *   npm run bench -- intake-crash kill -9 during intake, 20 times; nothing acknowledged is lost
 *   npm run bench -- intake-outage the database freezes during intake; nothing acknowledged is lost
 *   npm run bench -- screening    scoring engine, 1,000,000-row results import, window dashboard
 *   npm run bench -- cluster      two servers, two workers, one database behind a proxy: throughput, alerts once, a server killed
 *   npm run bench -- roster       OneRoster import of 100,000 students, and again unchanged
 *   npm run bench -- analytics    leadership dashboards and the equity refresh after one screen, 100,000 students (HAVEN_BENCH_STUDENTS=1000000 for a state)
 *   npm run bench -- web          staff app in Chromium: JavaScript fetched and load time for sign-in and home (budget 250 KB)
 */
import os from 'node:os';
import { benchAnalytics } from './analytics.ts';
import { benchCluster } from './cluster.ts';
import { benchIntake } from './intake.ts';
import { benchIntakeCrash } from './intake-crash.ts';
import { benchIntakeOutage } from './intake-outage.ts';
import { benchRoster } from './roster.ts';
import { benchScreening } from './screening.ts';
import { benchStartup } from './startup.ts';

const suites: Record<string, () => Promise<void>> = {
  startup: benchStartup,
  intake: benchIntake,
  'intake-crash': () => benchIntakeCrash(),
  'intake-outage': benchIntakeOutage,
  screening: benchScreening,
  roster: benchRoster,
  cluster: benchCluster,
  analytics: () => benchAnalytics(),
  // Loaded only when asked for: it brings Vite and Playwright with it.
  web: async () => (await import('./web.ts')).benchWeb(),
};
const chosen = process.argv.slice(2);
const names = chosen.length > 0 ? chosen : ['startup', 'intake'];
console.log(`Machine: ${os.cpus().length} cores, Node ${process.version}\n`);
for (const name of names) {
  const suite = suites[name];
  if (!suite) {
    console.error(`Unknown benchmark "${name}". Choose from: ${Object.keys(suites).join(', ')}.`);
    process.exit(2);
  }
  await suite();
  console.log('');
}
