/**
 * State a running Haven keeps between requests: the intake burst counters, the routing-context
 * cache. It belongs to one `Deps` (one server, one CLI run, one test), never to a module, so two
 * Havens in one process (tests, the cluster benchmark) never share it, and a test starts from
 * nothing. Each feature declares its own typed slot; the platform knows no feature's state.
 */
export type Slot<T> = { readonly name: string; readonly create: () => T };

/** A feature's piece of process state, made the first time a `Deps` asks for it. */
export function slot<T>(name: string, create: () => T): Slot<T> {
  return { name, create };
}

export type ProcessState = { of<T>(slot: Slot<T>): T };

export function createProcessState(): ProcessState {
  const values = new Map<Slot<unknown>, unknown>();
  return {
    of<T>(wanted: Slot<T>): T {
      if (!values.has(wanted)) values.set(wanted, wanted.create());
      return values.get(wanted) as T;
    },
  };
}
