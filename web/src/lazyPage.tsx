import { Alert, Button, Loader, Stack, Text } from '@mantine/core';
import { type ComponentType, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useRouteError } from 'react-router';

/** Set while this tab reloads to fetch a newly deployed version; cleared once a page loads again. */
const reloadingKey = 'haven.reloadingForNewVersion';

/** A page's chunk could not be fetched: after a deploy, or with the network down. */
class PageNotFetched extends Error {}

/**
 * A route's page as its own chunk, for react-router's `lazy` (issue 16: sign-in and home must not
 * download every other page). The router fetches the chunk before it shows the new page, so the
 * page appears whole: no Suspense fallback, and none of React's 300 ms delay in revealing one.
 */
export function lazyPage<Name extends string>(load: () => Promise<Record<Name, ComponentType>>, name: Name) {
  return async (): Promise<{ Component: ComponentType }> => {
    try {
      const module = await load();
      sessionStorage.removeItem(reloadingKey);
      return { Component: module[name] };
    } catch (error) {
      throw new PageNotFetched('The page could not be fetched.', { cause: error });
    }
  };
}

/** Shown while the first page of a visit is fetched; screen readers announce it. */
export function PageLoading() {
  const { t } = useTranslation();
  return <Loader role="status" aria-label={t('app.loading')} m="xl" />;
}

/**
 * A page that could not be fetched or shown. A deploy replaces the chunk files, so a tab opened
 * before it asks for names that are gone: that tab reloads once, at the address the person asked
 * for, to pick up the new version. Otherwise (the network is down, the page failed) it says so in
 * words and offers a reload, with the crisis line, instead of leaving a blank screen.
 */
export function PageError() {
  const { t } = useTranslation();
  const error = useRouteError();
  const reloadOnce = error instanceof PageNotFetched && !sessionStorage.getItem(reloadingKey);
  useEffect(() => {
    if (!reloadOnce) return;
    sessionStorage.setItem(reloadingKey, '1');
    window.location.reload();
  }, [reloadOnce]);
  if (reloadOnce) return <PageLoading />;
  return (
    <Alert color="red" title={t('pageLoad.failedTitle')} m="md">
      <Stack gap="sm" align="flex-start">
        <Text size="sm">{t('pageLoad.failed')}</Text>
        <Button onClick={() => window.location.reload()}>{t('pageLoad.reload')}</Button>
      </Stack>
    </Alert>
  );
}
