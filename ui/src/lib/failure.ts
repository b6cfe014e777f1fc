/** A text the server gives in both languages (`{id, en}`). */
export interface Words {
  id: string;
  en: string;
}

/** The text of `words` in the UI's language (Indonesian unless English is chosen). */
export function pickWords(words: Words | null | undefined, lang: string): string {
  if (!words) return '';
  return lang.startsWith('en') ? words.en : words.id;
}
