/**
 * RFC 4180 CSV. Cells that start with = + - @ are prefixed with a quote so a spreadsheet opens
 * them as text, not formulas (CSV injection), since names and reasons come from people.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const cell = (value: unknown) => {
    let text = value instanceof Date ? value.toISOString() : value === null || value === undefined ? '' : String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return `${[header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;
}
