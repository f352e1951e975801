/** Time is passed in, never read ambiently, so rules and tests can set it. */
export type Clock = { now(): Date };

export const systemClock: Clock = { now: () => new Date() };
