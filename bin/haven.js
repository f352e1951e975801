#!/usr/bin/env node
// Haven's command line. It loads the TypeScript sources through tsx so that
// `npx haven` works straight after `npm ci`, with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv);
