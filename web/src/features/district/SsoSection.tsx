import { Alert, Button, Card, Checkbox, Code, Group, PasswordInput, Select, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IssuerTest, SsoView as Sso } from '../../../../src/features/accounts/sso.schema';
import { api } from '../../api';

type Provider = Sso['providers'][number];
type PresetId = Provider['preset'];
type Message = { ok: boolean; text: string } | null;

function Notice({ message }: { message: Message }) {
  if (!message) return null;
  return (
    <Alert color={message.ok ? 'green' : 'red'} role={message.ok ? 'status' : 'alert'}>
      {message.text}
    </Alert>
  );
}

/**
 * District settings → Single sign-on: the district's identity providers (with a preset per kind,
 * "test this connection" before saving), and "SSO required" with the administrators who keep a
 * password (break-glass) in case the provider is down.
 */
export function SsoSection() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: ['district-sso'], queryFn: () => api<Sso>('GET', '/api/v1/district/sso') });
  const [preset, setPreset] = useState<PresetId>('google');
  const [form, setForm] = useState({ label: '', issuer: '', clientId: '', clientSecret: '', domains: '', emailClaim: '' });
  const [required, setRequired] = useState(false);
  const [breakGlass, setBreakGlass] = useState<string[]>([]);
  const [providerMessage, setProviderMessage] = useState<Message>(null);
  const [settingsMessage, setSettingsMessage] = useState<Message>(null);
  useEffect(() => {
    if (!query.data) return;
    setRequired(query.data.ssoRequired);
    setBreakGlass(query.data.breakGlassUserIds);
  }, [query.data]);
  if (!query.data) return null;
  const data = query.data;
  const chosen = data.presets.find((p) => p.id === preset);
  const failed = (caught: unknown) => ({ ok: false, text: caught instanceof Error ? caught.message : t('errors.generic') });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['district-sso'] });
  const issuer = form.issuer || chosen?.issuer || '';

  const test = async () => {
    try {
      const answer = await api<IssuerTest>('POST', '/api/v1/district/sso/test', { issuer });
      setProviderMessage({ ok: answer.ok, text: answer.detail });
    } catch (caught) {
      setProviderMessage(failed(caught));
    }
  };
  const add = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await api('POST', '/api/v1/district/sso/providers', {
        preset,
        label: form.label || undefined,
        issuer,
        clientId: form.clientId,
        clientSecret: form.clientSecret,
        domains: form.domains,
        emailClaim: form.emailClaim || undefined,
      });
      setForm({ label: '', issuer: '', clientId: '', clientSecret: '', domains: '', emailClaim: '' });
      setProviderMessage({ ok: true, text: t('sso.admin.added') });
      await refresh();
    } catch (caught) {
      setProviderMessage(failed(caught));
    }
  };
  const remove = async (provider: Provider) => {
    if (!window.confirm(t('sso.admin.removeConfirm', { name: provider.label }))) return;
    try {
      await api('DELETE', `/api/v1/district/sso/providers/${provider.id}`);
      await refresh();
    } catch (caught) {
      setProviderMessage(failed(caught));
    }
  };
  const save = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await api('PUT', '/api/v1/district/sso/settings', { ssoRequired: required, breakGlassUserIds: breakGlass });
      setSettingsMessage({ ok: true, text: t('sso.admin.saved') });
      await refresh();
    } catch (caught) {
      setSettingsMessage(failed(caught));
    }
  };

  return (
    <Card withBorder component="section" aria-labelledby="sso-heading">
      <Stack>
        <Title order={2} size="h3" id="sso-heading">
          {t('sso.admin.title')}
        </Title>
        <Text size="sm">{t('sso.admin.intro')}</Text>
        {data.providers.length === 0 && <Text size="sm">{t('sso.admin.none')}</Text>}
        {data.providers.map((provider) => (
          <Group key={provider.id} justify="space-between" wrap="wrap">
            <div>
              <Text fw={600}>{provider.label}</Text>
              <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                {provider.issuer} · {t('sso.admin.domainsList', { domains: provider.domains.join(', ') })}
              </Text>
            </div>
            <Button variant="subtle" color="red" onClick={() => remove(provider)} aria-label={t('sso.admin.removeNamed', { name: provider.label })}>
              {t('sso.admin.remove')}
            </Button>
          </Group>
        ))}
        <Notice message={providerMessage} />
        <form onSubmit={add}>
          <Stack>
            <Title order={3} size="h4">
              {t('sso.admin.addTitle')}
            </Title>
            <Select
              label={t('sso.admin.preset')}
              data={data.presets.map((p) => ({ value: p.id, label: p.label }))}
              value={preset}
              onChange={(value) => value && setPreset(value as PresetId)}
              allowDeselect={false}
            />
            {chosen && <Text size="sm">{chosen.notes}</Text>}
            <Text size="sm">
              {t('sso.admin.redirectUri')} <Code style={{ overflowWrap: 'anywhere' }}>{data.redirectUri}</Code>
            </Text>
            <TextInput
              label={t('sso.admin.issuer')}
              description={t('sso.admin.issuerHelp', { shape: chosen?.issuerShape ?? '' })}
              placeholder={chosen?.issuer ?? chosen?.issuerShape}
              value={form.issuer}
              onChange={(e) => setForm({ ...form, issuer: e.currentTarget.value })}
            />
            <Button variant="default" onClick={test} w="fit-content" disabled={!issuer}>
              {t('sso.admin.test')}
            </Button>
            <TextInput
              label={t('sso.admin.label')}
              placeholder={chosen?.label}
              maxLength={100}
              value={form.label}
              onChange={(e) => setForm({ ...form, label: e.currentTarget.value })}
            />
            <TextInput label={t('sso.admin.clientId')} required value={form.clientId} onChange={(e) => setForm({ ...form, clientId: e.currentTarget.value })} />
            <PasswordInput
              label={t('sso.admin.clientSecret')}
              description={t('sso.admin.clientSecretHelp')}
              required
              autoComplete="off"
              value={form.clientSecret}
              onChange={(e) => setForm({ ...form, clientSecret: e.currentTarget.value })}
            />
            <TextInput
              label={t('sso.admin.domains')}
              description={t('sso.admin.domainsHelp')}
              required
              value={form.domains}
              onChange={(e) => setForm({ ...form, domains: e.currentTarget.value })}
            />
            <TextInput
              label={t('sso.admin.emailClaim')}
              description={t('sso.admin.emailClaimHelp')}
              placeholder={chosen?.emailClaim}
              value={form.emailClaim}
              onChange={(e) => setForm({ ...form, emailClaim: e.currentTarget.value })}
            />
            <Button type="submit" w="fit-content">
              {t('sso.admin.add')}
            </Button>
          </Stack>
        </form>
        <form onSubmit={save}>
          <Stack>
            <Title order={3} size="h4">
              {t('sso.admin.requiredTitle')}
            </Title>
            <Notice message={settingsMessage} />
            <Switch
              label={t('sso.admin.required')}
              description={t('sso.admin.requiredHelp')}
              checked={required}
              onChange={(e) => setRequired(e.currentTarget.checked)}
            />
            <Checkbox.Group label={t('sso.admin.breakGlass')} description={t('sso.admin.breakGlassHelp')} value={breakGlass} onChange={setBreakGlass}>
              <Stack gap="xs" mt="xs">
                {data.administrators.map((admin) => (
                  <Checkbox key={admin.id} value={admin.id} label={`${admin.displayName} (${admin.email})`} />
                ))}
              </Stack>
            </Checkbox.Group>
            <Button type="submit" w="fit-content">
              {t('sso.admin.save')}
            </Button>
          </Stack>
        </form>
      </Stack>
    </Card>
  );
}
