import { Container, Group, Paper, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSelect } from '../../layout/LanguageSelect';

/** The frame of the signed-out pages: crisis numbers first, language switch, one card. */
export function AuthFrame({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Container size={440} py="xl" component="main" id="main">
      <Text size="sm" mb="md" role="note">
        {t('app.crisisLine')}
      </Text>
      <Group mb="md">
        <LanguageSelect width={140} />
      </Group>
      <Paper withBorder shadow="sm" p="lg" radius="md">
        <Title order={1} size="h2" mb="md">
          {title}
        </Title>
        {children}
      </Paper>
    </Container>
  );
}
