import { Group, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** A read-only label/value pair for detail pages. */
export function Field({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text component="div" fw={500} data-testid={testId}>
        {children}
      </Text>
    </Stack>
  );
}

/** A row of Field items that wraps on small screens. */
export function FieldRow({ children }: { children: ReactNode }) {
  return (
    <Group gap="xl" align="flex-start" wrap="wrap">
      {children}
    </Group>
  );
}
