import { Alert, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SheetLayout } from './ClassCodesSheet';

type Printing = { classId: string; layout: SheetLayout } | null;

/**
 * A proctor's classes in the window, each with its codes to print: on one page (a table) or as
 * cards to cut out. Printing gives new codes, so it is a deliberate button, never a page load;
 * when a class already has codes out (printed on an earlier visit), the card says what new codes
 * would do and waits for the proctor to choose.
 */
export function MyClassesCard({
  classes,
  onPrint,
  printing,
  reprinting,
  onReprint,
  onKeep,
}: {
  classes: { id: string; title: string; school: string }[];
  onPrint: (input: { classId: string; layout: SheetLayout }) => void;
  printing: Printing;
  /** The class (and layout) waiting for the proctor to confirm new codes. */
  reprinting: Printing;
  onReprint: (input: { classId: string; layout: SheetLayout }) => void;
  onKeep: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Card withBorder mt="lg" component="section" aria-labelledby="my-classes">
      <Title order={2} size="h3" id="my-classes" mb="xs">
        {t('screening.proctoring.classesTitle')}
      </Title>
      <Text size="sm" mb="sm">
        {t('screening.proctoring.classesHelp')}
      </Text>
      <Stack gap="xs">
        {classes.map((c) => (
          <Group key={c.id} gap="xs" justify="space-between" wrap="wrap">
            <Text fw={600}>
              {c.title}{' '}
              <Text span size="sm" c="dimmed">
                {c.school}
              </Text>
            </Text>
            <Group gap="xs">
              {(['table', 'cards'] as const).map((layout) => (
                <Button
                  key={layout}
                  size="xs"
                  variant={layout === 'table' ? 'filled' : 'default'}
                  className="wrap-button"
                  onClick={() => onPrint({ classId: c.id, layout })}
                  loading={printing?.classId === c.id && printing.layout === layout}
                  aria-label={t(layout === 'table' ? 'screening.proctoring.printTableFor' : 'screening.proctoring.printCardsFor', { class: c.title })}
                >
                  {t(layout === 'table' ? 'screening.proctoring.printTable' : 'screening.proctoring.printCards')}
                </Button>
              ))}
            </Group>
            {reprinting?.classId === c.id && (
              <Alert color="#8a4b00" variant="outline" role="alert" w="100%" title={t('screening.proctoring.reprintTitle', { class: c.title })}>
                <Text size="sm" mb="xs">
                  {t('screening.proctoring.reprintWarning')}
                </Text>
                <Group gap="xs">
                  {/* Keeping what was handed out is the safe choice, so it is the filled one. */}
                  <Button size="xs" className="wrap-button" onClick={onKeep}>
                    {t('screening.proctoring.keepCodes')}
                  </Button>
                  <Button
                    size="xs"
                    variant="outline"
                    color="red.9"
                    className="wrap-button"
                    onClick={() => onReprint(reprinting)}
                    loading={printing?.classId === c.id}
                  >
                    {t('screening.proctoring.reprint')}
                  </Button>
                </Group>
              </Alert>
            )}
          </Group>
        ))}
      </Stack>
    </Card>
  );
}
