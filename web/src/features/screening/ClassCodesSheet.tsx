import { Button, Card, Group, SegmentedControl, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { createPortal, flushSync } from 'react-dom';
import { useTranslation } from 'react-i18next';
import type { ClassCodeSheet } from '../../../../src/features/screening/screening.schema';
import { StatusBadge } from './RosterStatus';

/** What the server returns when a class's codes are printed (codes are shown this once). */
export type CodeSheet = ClassCodeSheet;
export type SheetLayout = 'table' | 'cards';

/**
 * Print styles: on paper only the sheet (a copy outside the app, so no navigation or buttons),
 * the table on one page, the cards two to a row with dashed edges to cut along, never split.
 */
const styles = `.codes-print{display:none}
.codes-table{width:100%;border-collapse:collapse}.codes-table caption{text-align:left;font-weight:700;margin-bottom:4px}
.codes-table th,.codes-table td{border:1px solid #555;padding:4px 8px;text-align:left;vertical-align:top}
.codes-code{font-family:ui-monospace,monospace;font-weight:700;letter-spacing:.08em}
.codes-cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(15rem,1fr));gap:8px;list-style:none;padding:0;margin:0}
.codes-card{border:2px dashed #555;padding:10px 12px;break-inside:avoid;color:#1a1a1a;background:#fff}
.codes-card h3{margin:0;font-size:1.1rem}.codes-card .codes-code{font-size:1.8rem;margin:6px 0}.codes-card ol{margin:4px 0 0;padding-left:1.2rem}
@media print{#root{display:none!important}.codes-print{display:block}.codes-cards{grid-template-columns:repeat(2,1fr)}@page{margin:12mm}}`;

/** The sheet itself, the same on screen and on paper: every student of the class, a code for each who may be screened. */
function Sheet({ sheet, layout, headingId }: { sheet: CodeSheet; layout: SheetLayout; headingId?: string }) {
  const { t, i18n } = useTranslation();
  const until = sheet.expiresAt ? new Date(sheet.expiresAt).toLocaleString(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }) : null;
  const withCodes = sheet.students.filter((s) => s.code && s.card);
  return (
    <div>
      <h2 id={headingId} style={{ margin: '0 0 4px' }}>
        {t('screening.proctoring.sheetTitle', { class: sheet.class.title })}
      </h2>
      <p style={{ margin: '0 0 8px' }}>
        {t('screening.proctoring.sheetIntro', { window: sheet.window.name, school: sheet.class.school })}{' '}
        {until && t('screening.proctoring.sheetUntil', { until })}
      </p>
      {layout === 'table' ? (
        <table className="codes-table">
          <caption>{t('screening.proctoring.sheetCaption', { class: sheet.class.title, count: sheet.students.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('screening.student')}</th>
              <th scope="col">{t('screening.grade')}</th>
              <th scope="col">{t('screening.proctoring.code')}</th>
            </tr>
          </thead>
          <tbody>
            {sheet.students.map((s) => (
              <tr key={s.id} data-student={s.id}>
                <th scope="row">{s.name}</th>
                <td>{s.grade}</td>
                <td>{s.code ? <span className="codes-code">{s.code}</span> : <StatusBadge status={s.status} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : withCodes.length === 0 ? (
        <p>{t('screening.proctoring.sheetNoCodes')}</p>
      ) : (
        <ul className="codes-cards" aria-label={t('screening.proctoring.cardsLabel', { class: sheet.class.title })}>
          {withCodes.map((s) => (
            <li key={s.id} className="codes-card" data-student={s.id}>
              <h3>{s.cardName}</h3>
              <div>{sheet.class.title}</div>
              <div lang={s.card?.lang}>
                <div>{s.card?.title}</div>
                <div className="codes-code">{s.code}</div>
                <ol>
                  {s.card?.steps.map((step) => (
                    <li key={step}>{step}</li>
                  ))}
                </ol>
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * A class's codes after printing: a preview, the choice between one page and cards to cut out,
 * and Print. The paper copy is rendered outside the app (a portal), so it prints alone.
 */
export function ClassCodesSheet({ sheet, initialLayout, onClose }: { sheet: CodeSheet; initialLayout: SheetLayout; onClose: () => void }) {
  const { t } = useTranslation();
  const [layout, setLayout] = useState<SheetLayout>(initialLayout);
  const print = (chosen: SheetLayout) => {
    flushSync(() => setLayout(chosen));
    window.print();
  };
  return (
    <Card withBorder mb="sm" component="section" aria-labelledby="codes-sheet">
      <style>{styles}</style>
      <Group justify="space-between" align="flex-start" mb="xs">
        <Title order={2} size="h4">
          {t('screening.proctoring.sheetReady')}
        </Title>
        <Button variant="default" size="xs" onClick={onClose}>
          {t('screening.proctoring.close')}
        </Button>
      </Group>
      <Text size="sm" mb="xs">
        {t('screening.proctoring.sheetOnce')}
      </Text>
      <Group mb="sm" gap="xs" align="flex-end">
        <SegmentedControl
          aria-label={t('screening.proctoring.layout')}
          value={layout}
          onChange={(value) => setLayout(value as SheetLayout)}
          data={[
            { value: 'table', label: t('screening.proctoring.layoutTable') },
            { value: 'cards', label: t('screening.proctoring.layoutCards') },
          ]}
        />
        <Button onClick={() => print(layout)}>{t('screening.proctoring.print')}</Button>
      </Group>
      <div style={{ overflowX: 'auto' }}>
        <Sheet sheet={sheet} layout={layout} headingId="codes-sheet" />
      </div>
      {createPortal(
        <div className="codes-print">
          <Sheet sheet={sheet} layout={layout} />
        </div>,
        document.body,
      )}
    </Card>
  );
}
