import { Alert, Button, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Discovery, DistrictSignIn } from '../../../../src/features/accounts/sso.schema';
import { api } from '../../api';

/** A provider to sign in with: found for the e-mail's domain, or listed by the district's sign-in link. */
export type Provider = DistrictSignIn['providers'][number];

/** The failures the server names in `?sso_error=` after a provider's sign-in; each has words in both languages. */
const failures = ['failed', 'expired', 'unverified', 'domain', 'no_access', 'disabled', 'provider_off', 'unavailable'] as const;

export function ssoErrorKey(code: string | null): string | null {
  return code && (failures as readonly string[]).includes(code) ? `sso.error.${code}` : null;
}

/** The link that starts a provider's sign-in: a full-page visit, as the provider must show its own page. */
export function startUrl(provider: Provider, email: string, returnTo: string) {
  const query = new URLSearchParams({ return: returnTo, ...(email ? { email } : {}) });
  return `/api/v1/auth/sso/${encodeURIComponent(provider.id)}/start?${query}`;
}

/**
 * Home-realm discovery: once the e-mail looks complete, asks which providers sign in its domain and
 * offers "Sign in with <provider>". Says so when the district has turned passwords off.
 */
export function useDiscovery(email: string): Discovery {
  const [found, setFound] = useState<Discovery>({ providers: [], ssoRequired: false });
  useEffect(() => {
    const domain = /^[^@\s]+@([^@\s]+\.[^@\s]{2,})$/.exec(email.trim())?.[1];
    if (!domain) {
      setFound({ providers: [], ssoRequired: false });
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      api<Discovery>('GET', `/api/v1/auth/sso/discover?email=${encodeURIComponent(email.trim())}`)
        .then((answer) => live && setFound(answer))
        .catch(() => live && setFound({ providers: [], ssoRequired: false }));
    }, 300);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [email]);
  return found;
}

/** The provider buttons (links), with a note when the district requires them. */
export function SsoChoices({ providers, ssoRequired, email, returnTo }: { providers: Provider[]; ssoRequired: boolean; email: string; returnTo: string }) {
  const { t } = useTranslation();
  if (providers.length === 0) return null;
  return (
    <Stack gap="xs" aria-live="polite">
      {providers.map((provider) => (
        <Button key={provider.id} component="a" href={startUrl(provider, email, returnTo)} variant="filled" size="md">
          {t('sso.signInWith', { provider: provider.label })}
        </Button>
      ))}
      {ssoRequired ? (
        <Alert color="blue" role="note">
          {t('sso.required')}
        </Alert>
      ) : (
        <Text size="sm" c="dimmed">
          {t('sso.orPassword')}
        </Text>
      )}
    </Stack>
  );
}
