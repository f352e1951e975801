import { Text } from '@mantine/core';

type Row = { label: string; values: (number | null)[] };

const colors = ['#1c4f82', '#8a4b00'];

/**
 * A horizontal bar chart that is also readable without sight: its accessible name lists every
 * value, the page beside it has the same numbers in a table, and each bar carries its value as
 * text, so colour is never the only way to tell series apart.
 */
export function BarChart({ title, unit, series, rows }: { title: string; unit: string; series: string[]; rows: Row[] }) {
  const max = Math.max(1, ...rows.flatMap((r) => r.values.map((v) => v ?? 0)));
  const barHeight = 16;
  const rowHeight = series.length * (barHeight + 4) + 12;
  const labelWidth = 180;
  const width = 640;
  return (
    <figure style={{ margin: 0 }}>
      {/* The key is text beside the chart, not inside it: long series names (in Spanish, on a phone) wrap instead of running into each other. */}
      <ul aria-hidden="true" style={{ display: 'flex', flexWrap: 'wrap', gap: '4px 16px', listStyle: 'none', padding: 0, margin: '0 0 4px' }}>
        {series.map((name, i) => (
          <li key={name} style={{ display: 'flex', alignItems: 'center', gap: 6, fontSize: 'var(--mantine-font-size-sm)' }}>
            <span style={{ width: 12, height: 12, flexShrink: 0, background: colors[i % colors.length] }} />
            {name}
          </li>
        ))}
      </ul>
      <svg
        role="img"
        aria-label={`${title}: ${rows.map((r) => `${r.label} ${r.values.map((v, i) => `${series[i]} ${v ?? '—'}`).join(', ')}`).join('; ')}`}
        viewBox={`0 0 ${width} ${rows.length * rowHeight}`}
        width="100%"
      >
        {rows.map((r, ri) => (
          <g key={r.label} transform={`translate(0, ${ri * rowHeight})`}>
            <text x="0" y={barHeight} fontSize="12">
              {r.label}
            </text>
            {r.values.map((v, vi) => {
              const w = ((v ?? 0) / max) * (width - labelWidth - 60);
              return (
                <g key={series[vi]} transform={`translate(${labelWidth}, ${vi * (barHeight + 4)})`}>
                  <rect width={Math.max(1, w)} height={barHeight} fill={colors[vi % colors.length]} />
                  <text x={w + 4} y={barHeight - 3} fontSize="12">
                    {v ?? '—'}
                  </text>
                </g>
              );
            })}
          </g>
        ))}
      </svg>
      <figcaption>
        <Text size="sm">
          {title} ({unit})
        </Text>
      </figcaption>
    </figure>
  );
}
