/**
 * Counts public reports per sender address, one minute at a time, to tell which are over the
 * intake limit. Over the limit a report is still stored and answered, only marked throttled so
 * the team gets the flood as a group (decision 26): a whole school behind one address must never
 * lose a report. Counts live in this process's memory only, keyed by a keyed hash of the address,
 * so the address itself is kept nowhere, not even here.
 */
export type IntakeCounter = {
  /** Counts one report from this address; true when it is over the limit for the current minute. */
  overLimit(address: string): boolean;
};

/** Beyond this many addresses, finished minutes are forgotten (and, in a storm, everything). */
const maxAddresses = 50_000;

export function createIntakeCounter(options: { perMinute: number; keyOf: (address: string) => string; now: () => number }): IntakeCounter {
  const minutes = new Map<string, { start: number; count: number }>();
  const forgetOld = (now: number) => {
    for (const [key, entry] of minutes) if (now - entry.start >= 60_000) minutes.delete(key);
    // Forgetting errs towards alerting one by one, never towards losing a report.
    if (minutes.size >= maxAddresses) minutes.clear();
  };
  return {
    overLimit(address) {
      const now = options.now();
      const key = options.keyOf(address);
      let entry = minutes.get(key);
      if (!entry || now - entry.start >= 60_000 || now < entry.start) {
        if (!entry && minutes.size >= maxAddresses) forgetOld(now);
        entry = { start: now, count: 0 };
        minutes.set(key, entry);
      }
      entry.count += 1;
      return entry.count > options.perMinute;
    },
  };
}
