/** A share as a whole percentage, or a dash when there is nothing to divide. */
export const pct = (r: number | null) => (r === null ? '—' : `${Math.round(r * 100)}%`);
