import { outboxSources } from '../../jobs/worker.ts';
import type { Deps } from '../deps.ts';
import { drainOutbox } from './outbox.sender.ts';

/**
 * For tests: one pass of the worker's outbox sender, with every feature's handlers, so a test
 * that queued mail reads what really went out (and what a sent message marked done).
 */
export function sendOutbox(deps: Deps, log?: (message: string) => void): Promise<number> {
  return drainOutbox(deps, { sources: outboxSources(deps), ...(log ? { log } : {}) });
}
