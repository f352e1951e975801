import { Anchor } from '@mantine/core';

/**
 * A phone number the reader can tap to call, as the public pages offer theirs. It never breaks
 * across lines: half a number on each line is misdialled.
 */
export function PhoneLink({ phone }: { phone: string }) {
  return (
    <Anchor href={`tel:${phone.replace(/[^\d+]/g, '')}`} underline="always" fz="inherit" style={{ whiteSpace: 'nowrap' }}>
      {phone}
    </Anchor>
  );
}

/** An e-mail address the reader can tap to write to; a long one may break anywhere rather than widen a phone's page. */
export function EmailLink({ email }: { email: string }) {
  return (
    <Anchor href={`mailto:${email}`} underline="always" fz="inherit" style={{ overflowWrap: 'anywhere' }}>
      {email}
    </Anchor>
  );
}
