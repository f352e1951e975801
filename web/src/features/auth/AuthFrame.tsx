import { Container, Paper, Select, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { languages } from '../../i18n';

/** The frame of the signed-out pages: crisis numbers first, language switch, one card. */
export function AuthFrame({ title, children }: { title: string; children: ReactNode }) {
  const { t, i18n } = useTranslation();
  return (
    <Container size={440} py="xl" component="main" id="main">
      <Text size="sm" mb="md" role="note">
        {t('app.crisisLine')}
      </Text>
      <Select
        aria-label={t('app.language')}
        data={[...languages]}
        value={i18n.language}
        onChange={(value) => value && i18n.changeLanguage(value)}
        allowDeselect={false}
        w={140}
        mb="md"
      />
      <Paper withBorder shadow="sm" p="lg" radius="md">
        <Title order={1} size="h2" mb="md">
          {title}
        </Title>
        {children}
      </Paper>
    </Container>
  );
}
