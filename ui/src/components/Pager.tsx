import { Group, Pagination, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { PAGE_SIZE } from '../lib/paging';

/** "N data" + page buttons under a list (hidden buttons when everything fits on one page). */
export function Pager({ page, total, onChange }: { page: number; total: number; onChange: (p: number) => void }) {
  const { t } = useTranslation();
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  return (
    <Group justify="space-between">
      <Text size="sm" c="dimmed">
        {t('common.total_rows', { count: total })}
      </Text>
      {pages > 1 && (
        <Pagination
          value={page}
          onChange={onChange}
          total={pages}
          size="sm"
          getControlProps={(control) => ({ 'aria-label': t(`common.page_${control}`) })}
        />
      )}
    </Group>
  );
}
