import { type MantineSpacing, Table } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * A table that may scroll sideways inside its own box (the page itself never does). The box is a
 * labelled region a keyboard can reach, so a table with no link in it can still be scrolled
 * (axe "scrollable-region-focusable").
 */
export function ScrollTable({ label, minWidth, mt, children }: { label: string; minWidth: number; mt?: MantineSpacing; children: ReactNode }) {
  return (
    <Table.ScrollContainer type="native" minWidth={minWidth} mt={mt} tabIndex={0} role="region" aria-label={label}>
      {children}
    </Table.ScrollContainer>
  );
}
