import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { setApiLanguage } from './api';
import en from './locales/en.json';
import es from './locales/es.json';

export const languages = [
  { value: 'en', label: 'English' },
  { value: 'es', label: 'Español' },
] as const;

/** The chosen language: what the person picked before, else what the browser prefers. */
function initialLanguage(): string {
  const saved = localStorage.getItem('haven.language');
  if (saved === 'en' || saved === 'es') return saved;
  return navigator.language.toLowerCase().startsWith('es') ? 'es' : 'en';
}

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, es: { translation: es } },
  lng: initialLanguage(),
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
});

document.documentElement.lang = i18n.language;
setApiLanguage(i18n.language);
i18n.on('languageChanged', (language) => {
  document.documentElement.lang = language;
  setApiLanguage(language);
  localStorage.setItem('haven.language', language);
});

export default i18n;
