import { useMediaQuery } from '@mantine/hooks';

/**
 * True where a wide table fits: from Mantine's `md` breakpoint (62em), where the navigation sits
 * beside the page and leaves about 720 px. Below it, lists are shown as cards.
 */
export function useWide(): boolean {
  return useMediaQuery('(min-width: 62em)', undefined, { getInitialValueInEffect: false });
}
