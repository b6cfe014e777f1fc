import { Button } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, currentLanguage } from '../i18n';

/** Two buttons, "ID" and "EN"; the pressed one is the active language. */
export function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  const active = currentLanguage();
  return (
    <Button.Group aria-label={t('language.label')}>
      {LANGUAGES.map((lng) => (
        <Button
          key={lng}
          size="xs"
          variant={lng === active ? 'filled' : 'default'}
          aria-pressed={lng === active}
          title={t(`language.${lng}`)}
          lang={lng}
          onClick={() => void i18n.changeLanguage(lng)}
        >
          {t(`language.${lng}_short`)}
        </Button>
      ))}
    </Button.Group>
  );
}
