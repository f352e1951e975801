import { Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';

/** A placeholder for modules still being built, so navigation shows the whole product's shape. */
export function ComingSoonPage() {
  const { t } = useTranslation();
  const { module = '' } = useParams();
  return (
    <>
      <Title order={1}>{t('coming.title', { module: t(`nav.${module}`) })}</Title>
      <Text mt="md">{t('coming.body')}</Text>
    </>
  );
}
