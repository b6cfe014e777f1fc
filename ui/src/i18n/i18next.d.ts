// Typed translation keys: t('nav.customers') is checked against id.json.
import 'i18next';
import type id from './id.json';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof id };
  }
}
