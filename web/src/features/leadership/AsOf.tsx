import { Button, Group, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { useSession } from '../../session';
import { useManage } from './useManage';

/** When figures from the background rollup were computed, and (for district administrators) a way to recompute them now. */
export function AsOf({ computedAt }: { computedAt: string }) {
  const { t, i18n } = useTranslation();
  const { me } = useSession();
  const queryClient = useQueryClient();
  const manage = useManage();
  const refresh = useMutation({
    mutationFn: () => api('POST', '/api/v1/leadership/refresh'),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['leadership'] }),
  });
  return (
    <Group gap="xs">
      <Text size="sm">
        {t('leadership.asOf', {
          when: new Date(computedAt).toLocaleString(i18n.language, { dateStyle: 'medium', timeStyle: 'short', timeZone: me?.district?.timeZone }),
        })}
      </Text>
      {manage && (
        <Button size="compact-xs" variant="default" onClick={() => refresh.mutate()} loading={refresh.isPending}>
          {t('leadership.refresh')}
        </Button>
      )}
    </Group>
  );
}
