import { Alert, Button, Card, FileInput, Group, MultiSelect, NumberInput, Select, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { insurances, modalities, serviceTypes } from '../../../../src/features/referrals/matching.rules';
import { api } from '../../api';
import { ScrollTable } from '../../ui/ScrollTable';
import type { Partner, Service } from './PartnersPage';

/** Open places and waitlist, kept current by the partner's own staff (or the district). */
export function CapacityCard({ partners, onDone }: { partners: Partner[]; onDone: () => void }) {
  const { t } = useTranslation();
  return (
    <Card withBorder mt="xl" component="section" aria-labelledby="capacity-update">
      <Title order={2} size="h3" id="capacity-update" mb="xs">
        {t('partners.updateCapacity')}
      </Title>
      <Text size="sm" mb="sm">
        {t('partners.updateCapacityHelp')}
      </Text>
      <ScrollTable label={t('partners.updateCapacity')} minWidth={520}>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('partners.service')}</Table.Th>
              <Table.Th scope="col">{t('partners.openPlaces')}</Table.Th>
              <Table.Th scope="col">{t('partners.waitlistWeeks')}</Table.Th>
              <Table.Th scope="col">
                <span className="visually-hidden">{t('partners.save')}</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>{partners.flatMap((p) => p.services.map((s) => <CapacityRow key={s.id} service={s} onDone={onDone} />))}</Table.Tbody>
        </Table>
      </ScrollTable>
    </Card>
  );
}

function CapacityRow({ service, onDone }: { service: Service; onDone: () => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<number | string>(service.capacityAvailable ?? '');
  const [weeks, setWeeks] = useState<number | string>(service.waitlistWeeks ?? '');
  const save = useMutation({
    mutationFn: () =>
      api('PATCH', `/api/v1/partners/services/${service.id}`, {
        capacityAvailable: open === '' ? null : Number(open),
        waitlistWeeks: weeks === '' ? null : Number(weeks),
      }),
    onSuccess: onDone,
  });
  return (
    <Table.Tr>
      <Table.Th scope="row">{service.name}</Table.Th>
      <Table.Td>
        <NumberInput aria-label={t('partners.openPlacesFor', { name: service.name })} value={open} onChange={setOpen} min={0} max={100000} w={110} />
      </Table.Td>
      <Table.Td>
        <NumberInput aria-label={t('partners.waitlistFor', { name: service.name })} value={weeks} onChange={setWeeks} min={0} max={104} w={110} />
      </Table.Td>
      <Table.Td>
        <Button size="xs" variant="default" onClick={() => save.mutate()} aria-label={t('partners.saveFor', { name: service.name })}>
          {t('partners.save')}
        </Button>
        {save.isSuccess && (
          <Text size="xs" role="status">
            {t('partners.saved')}
          </Text>
        )}
        {save.error && (
          <Text size="xs" c="red.9" role="alert">
            {save.error.message}
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

/** What a service offers, for matching: the district keeps it because HSDS files rarely say. */
export function ServiceEditor({ partners, onDone }: { partners: Partner[]; onDone: () => void }) {
  const { t } = useTranslation();
  const services = partners.flatMap((p) => p.services.map((s) => ({ ...s, partner: p.name })));
  const [id, setId] = useState<string | null>(null);
  const chosen = services.find((s) => s.id === id);
  const [form, setForm] = useState({ serviceTypes: [] as string[], modalities: [] as string[], insurance: [] as string[] });
  const pick = (value: string | null) => {
    setId(value);
    const s = services.find((x) => x.id === value);
    if (s) setForm({ serviceTypes: s.serviceTypes, modalities: s.modalities, insurance: s.insurance });
  };
  const save = useMutation({ mutationFn: () => api('PATCH', `/api/v1/partners/services/${id}`, form), onSuccess: onDone });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <Card withBorder mt="xl" component="section" aria-labelledby="service-editor">
      <Title order={2} size="h3" id="service-editor" mb="sm">
        {t('partners.describe')}
      </Title>
      <form onSubmit={submit}>
        <Stack gap="sm" maw={620}>
          <Select
            label={t('partners.service')}
            data={services.map((s) => ({ value: s.id, label: `${s.name} (${s.partner})` }))}
            value={id}
            onChange={pick}
            searchable
          />
          {chosen && (
            <>
              <MultiSelect
                label={t('partners.offers')}
                data={serviceTypes.map((s) => ({ value: s, label: t(`partners.types.${s}`) }))}
                value={form.serviceTypes}
                onChange={(v) => setForm({ ...form, serviceTypes: v })}
              />
              <MultiSelect
                label={t('partners.modality')}
                data={modalities.map((s) => ({ value: s, label: t(`partners.modalities.${s}`) }))}
                value={form.modalities}
                onChange={(v) => setForm({ ...form, modalities: v })}
              />
              <MultiSelect
                label={t('partners.insurance')}
                data={insurances.map((s) => ({ value: s, label: t(`partners.insurances.${s}`) }))}
                value={form.insurance}
                onChange={(v) => setForm({ ...form, insurance: v })}
              />
              <Group>
                <Button type="submit">{t('partners.save')}</Button>
                {save.isSuccess && <Text role="status">{t('partners.saved')}</Text>}
              </Group>
            </>
          )}
        </Stack>
      </form>
      {save.error && <Alert color="red">{save.error.message}</Alert>}
    </Card>
  );
}

const readBase64 = (file: File) =>
  new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(',')[1] ?? '');
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });

/** A formal agreement with its signed document; renewal reminders go out 30 days before it ends. */
export function AgreementCard({ partners, onDone }: { partners: Partner[]; onDone: () => void }) {
  const { t } = useTranslation();
  const [form, setForm] = useState({ organizationId: '', type: 'mou', scope: '', ferpaBasis: 'consent', startsOn: '', endsOn: '' });
  const [file, setFile] = useState<File | null>(null);
  const add = useMutation({
    mutationFn: async () =>
      api('POST', `/api/v1/partners/${form.organizationId}/agreements`, {
        type: form.type,
        scope: form.scope,
        ferpaBasis: form.ferpaBasis,
        startsOn: form.startsOn,
        endsOn: form.endsOn,
        ...(file ? { documentName: file.name, documentBase64: await readBase64(file) } : {}),
      }),
    onSuccess: onDone,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate();
  };
  return (
    <Card withBorder mt="xl" component="section" aria-labelledby="agreement-add">
      <Title order={2} size="h3" id="agreement-add" mb="sm">
        {t('partners.addAgreement')}
      </Title>
      <form onSubmit={submit}>
        <Stack gap="sm" maw={620}>
          <Group grow>
            <Select
              label={t('partners.partner')}
              data={partners.map((p) => ({ value: p.id, label: p.name }))}
              value={form.organizationId || null}
              onChange={(v) => setForm({ ...form, organizationId: v ?? '' })}
              required
            />
            <Select
              label={t('partners.agreementType')}
              data={['mou', 'data_sharing_agreement', 'contract'].map((v) => ({ value: v, label: t(`partners.agreementTypes.${v}`) }))}
              value={form.type}
              onChange={(v) => v && setForm({ ...form, type: v })}
              allowDeselect={false}
            />
          </Group>
          <Textarea
            label={t('partners.scope')}
            value={form.scope}
            onChange={(e) => setForm({ ...form, scope: e.currentTarget.value })}
            required
            autosize
            minRows={2}
          />
          <Select
            label={t('partners.ferpaBasis')}
            data={['consent', 'school_official'].map((v) => ({ value: v, label: t(`partners.ferpaBases.${v}`) }))}
            value={form.ferpaBasis}
            onChange={(v) => v && setForm({ ...form, ferpaBasis: v })}
            allowDeselect={false}
          />
          <Group grow>
            <TextInput
              type="date"
              label={t('partners.startsOn')}
              value={form.startsOn}
              onChange={(e) => setForm({ ...form, startsOn: e.currentTarget.value })}
              required
            />
            <TextInput
              type="date"
              label={t('partners.endsOn')}
              value={form.endsOn}
              onChange={(e) => setForm({ ...form, endsOn: e.currentTarget.value })}
              required
            />
          </Group>
          <FileInput label={t('partners.signedDocument')} value={file} onChange={setFile} clearable clearButtonProps={{ 'aria-label': t('app.clearFile') }} />
          <Group>
            <Button type="submit">{t('partners.saveAgreement')}</Button>
            {add.isSuccess && <Text role="status">{t('partners.saved')}</Text>}
          </Group>
        </Stack>
      </form>
      {add.error && <Alert color="red">{add.error.message}</Alert>}
    </Card>
  );
}
