import { Text } from '@mantine/core';

type Row = {
  label: string;
  /** A second line under the label, such as whom a step counts. */
  detail?: string;
  values: (number | null)[];
  /** Words in place of the bars when there is no value to draw ("no one eligible", "hidden"). */
  note?: string;
};

const colors = ['#1c4f82', '#8a4b00'];
/** Room kept after the longest bar for its value ("180.000 US$"), so no value is cut off. */
const valueRoom = '8em';

/**
 * A horizontal bar chart drawn in HTML, not a scaled SVG: its text stays at the page's size on a
 * 390 px phone (an SVG 640 units wide shrank its labels to about 5 px there), and each row's label
 * sits beside its bars when there is room and above them when there is not, so the page never
 * scrolls sideways. It is also readable without sight: its accessible name lists every value, the
 * page beside it has the same numbers in a table, and each bar carries its value as text, so colour
 * is never the only way to tell series apart. `format` writes a value in the reader's language.
 */
export function BarChart({
  title,
  series,
  rows,
  format,
  max: fixedMax,
}: {
  title: string;
  series: string[];
  rows: Row[];
  format: (value: number) => string;
  /** The value of a full-width bar (1 for shares); the largest value when not given. */
  max?: number;
}) {
  const max = fixedMax ?? Math.max(1, ...rows.flatMap((r) => r.values.map((v) => v ?? 0)));
  const show = (v: number | null) => (v === null ? '—' : format(v));
  const name = `${title}: ${rows
    .map(
      (r) =>
        `${r.label}${r.detail ? ` (${r.detail})` : ''} ${r.note ?? r.values.map((v, i) => `${series.length > 1 ? `${series[i]} ` : ''}${show(v)}`).join(', ')}`,
    )
    .join('; ')}`;
  return (
    <figure style={{ margin: 0, minWidth: 0 }}>
      {/* The key is text beside the chart, not inside it: long series names (in Spanish, on a phone) wrap instead of running into each other. */}
      {series.length > 1 && (
        <ul aria-hidden="true" style={{ display: 'flex', flexWrap: 'wrap', gap: '4px 16px', listStyle: 'none', padding: 0, margin: '0 0 4px' }}>
          {series.map((s, i) => (
            <li key={s} style={{ display: 'flex', alignItems: 'center', gap: 6, fontSize: 'var(--mantine-font-size-sm)' }}>
              <span style={{ width: 12, height: 12, flexShrink: 0, background: colors[i % colors.length] }} />
              {s}
            </li>
          ))}
        </ul>
      )}
      <div role="img" aria-label={name} style={{ display: 'flex', flexDirection: 'column', gap: 10 }}>
        {rows.map((r) => (
          // The label takes 11em beside the bars; below about 26em of width the bars wrap under it.
          <div key={`${r.label}-${r.detail ?? ''}`} style={{ display: 'flex', flexWrap: 'wrap', columnGap: 12, rowGap: 2 }}>
            <div style={{ flex: '1 1 11em', minWidth: 0, overflowWrap: 'anywhere' }}>
              <Text size="sm" fw={600} lh={1.3}>
                {r.label}
              </Text>
              {r.detail && (
                <Text size="xs" lh={1.3}>
                  {r.detail}
                </Text>
              )}
            </div>
            <div style={{ flex: '999 1 15em', minWidth: 0, display: 'flex', flexDirection: 'column', gap: 3, justifyContent: 'center' }}>
              {r.note && <Text size="sm">{r.note}</Text>}
              {!r.note &&
                r.values.map((v, vi) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: one bar per series, in the series' order
                  <div key={vi} style={{ display: 'flex', alignItems: 'center', gap: 6 }}>
                    <span
                      style={{
                        flex: '0 0 auto',
                        height: 14,
                        width: `calc((100% - ${valueRoom}) * ${Math.min(1, Math.max(0, (v ?? 0) / max))})`,
                        minWidth: v === null ? 0 : 2,
                        background: colors[vi % colors.length],
                      }}
                    />
                    <Text component="span" size="sm" style={{ whiteSpace: 'nowrap' }}>
                      {show(v)}
                    </Text>
                  </div>
                ))}
            </div>
          </div>
        ))}
      </div>
      <figcaption>
        <Text size="sm" mt={4}>
          {title}
        </Text>
      </figcaption>
    </figure>
  );
}
