import { en, type MessageKey, type Messages } from './en';
import { vi } from './vi';

export type Language = 'vi' | 'en';
export type { MessageKey };

const storageKey = 'pacs.lang';
const dictionaries: Readonly<Record<Language, Messages>> = { vi, en };
type Listener = (language: Language) => void;

function isLanguage(value: unknown): value is Language {
  return value === 'vi' || value === 'en';
}

function storedLanguage(): Language | null {
  try {
    const value = window.localStorage.getItem(storageKey);
    return isLanguage(value) ? value : null;
  } catch {
    // Storage can be disabled (private mode, file://); the browser's preference still applies.
    return null;
  }
}

/** The remembered choice, else the first of the browser's languages: any vi* means Vietnamese, anything else English. */
export function detectLanguage(): Language {
  const stored = storedLanguage();
  if (stored) {
    return stored;
  }
  const preferred = navigator.languages?.length ? navigator.languages : [navigator.language];
  return preferred[0]?.toLowerCase().startsWith('vi') ? 'vi' : 'en';
}

/**
 * The page's strings in the current language. Static markup names its strings with data-i18n (text),
 * data-i18n-placeholder, data-i18n-title and data-i18n-aria-label; code that builds DOM calls t() and re-renders on
 * onChange, so switching the language never needs a reload.
 */
export class I18n {
  private current: Language;
  private readonly listeners: Listener[] = [];

  constructor(language: Language = detectLanguage()) {
    this.current = language;
  }

  get language(): Language {
    return this.current;
  }

  t(key: MessageKey, params?: Readonly<Record<string, string | number>>): string {
    const text = dictionaries[this.current][key];
    return params ? text.replace(/\{(\w+)\}/g, (match, name: string) => (name in params ? String(params[name]) : match)) : text;
  }

  setLanguage(language: Language): void {
    if (language === this.current) {
      return;
    }
    this.current = language;
    try {
      window.localStorage.setItem(storageKey, language);
    } catch {
      // Not remembered, but the switch still applies to this page.
    }
    this.apply();
    for (const listener of this.listeners) {
      listener(language);
    }
  }

  onChange(listener: Listener): void {
    this.listeners.push(listener);
  }

  /** Translates the static markup under root and sets the document's lang. */
  apply(root: ParentNode = document): void {
    document.documentElement.lang = this.current;
    for (const element of root.querySelectorAll<HTMLElement>('[data-i18n]')) {
      element.textContent = this.t(element.dataset.i18n as MessageKey);
    }
    this.applyAttribute(root, 'data-i18n-placeholder', 'placeholder');
    this.applyAttribute(root, 'data-i18n-title', 'title');
    this.applyAttribute(root, 'data-i18n-aria-label', 'aria-label');
  }

  /** Wires the language select: it shows the current language and switches at once on change. */
  bindSwitch(select: HTMLSelectElement): void {
    select.value = this.current;
    select.addEventListener('change', () => {
      if (isLanguage(select.value)) {
        this.setLanguage(select.value);
      }
    });
    this.onChange((language) => {
      select.value = language;
    });
  }

  private applyAttribute(root: ParentNode, source: string, target: string): void {
    for (const element of root.querySelectorAll<HTMLElement>(`[${source}]`)) {
      element.setAttribute(target, this.t(element.getAttribute(source) as MessageKey));
    }
  }
}
