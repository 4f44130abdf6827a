/**
 * The dashboard's and the API's messages in French (default) and English: one catalogue per
 * language and namespace under `locales/<lang>/<namespace>.json`, loaded once with i18next.
 * Keys are `namespace:dotted.key`; `namespace.dotted.key` is read the same way when its first
 * segment names a namespace.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import i18next, { type i18n as I18n } from 'i18next';
import type { FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyInstance {
    /** The office's configured locale (`config.locale`), decorated by the server. */
    officeLocale?: string;
  }
}

/** The languages relance speaks, the default first. */
export const LANGUAGES = ['fr', 'en'] as const;

/** A supported language. */
export type Language = (typeof LANGUAGES)[number];

/** The default language: the offices are French. */
export const DEFAULT_LANGUAGE: Language = 'fr';

/** The BCP 47 locale used to format numbers and dates in each language. */
export const LOCALES: Readonly<Record<Language, string>> = { fr: 'fr-FR', en: 'en-GB' };

/** The cookie that keeps the language chosen with `?lang=`. */
export const LANGUAGE_COOKIE = 'lang';

/** Where the catalogues live. */
export const LOCALES_DIR = path.resolve(__dirname, 'locales');

/** One language's catalogue: namespace → nested messages. */
export type Catalogue = Record<string, Record<string, unknown>>;

/** True for a supported language code. */
export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The language of a locale such as `fr-FR` (undefined when relance does not speak it). */
export function languageOfLocale(locale: string | null | undefined): Language | undefined {
  const code = locale?.slice(0, 2).toLowerCase();
  return isLanguage(code) ? code : undefined;
}

function readCatalogues(): Record<Language, Catalogue> {
  const out = {} as Record<Language, Catalogue>;
  for (const lang of LANGUAGES) {
    const dir = path.join(LOCALES_DIR, lang);
    const catalogue: Catalogue = {};
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
      catalogue[file.slice(0, -'.json'.length)] = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Record<string, unknown>;
    }
    out[lang] = catalogue;
  }
  return out;
}

let loaded: { instance: I18n; catalogues: Record<Language, Catalogue> } | undefined;

function state(): { instance: I18n; catalogues: Record<Language, Catalogue> } {
  if (loaded) return loaded;
  const catalogues = readCatalogues();
  const instance = i18next.createInstance();
  void instance.init({
    initAsync: false,
    resources: catalogues,
    lng: DEFAULT_LANGUAGE,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: [...LANGUAGES],
    ns: Object.keys(catalogues[DEFAULT_LANGUAGE]),
    defaultNS: 'common',
    nsSeparator: ':',
    keySeparator: '.',
    // Messages go into text nodes, JSON and CSV, never into HTML.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  loaded = { instance, catalogues };
  return loaded;
}

/** The namespaces of the catalogues (every language has the same ones). */
export function namespaces(): string[] {
  return Object.keys(state().catalogues[DEFAULT_LANGUAGE]);
}

/** Every namespace of `lang` merged: `{ "<ns>": {...} }` (what `GET /i18n/<lang>.json` returns). */
export function catalogue(lang: Language): Catalogue {
  return state().catalogues[lang];
}

/** `ns.key` → `ns:key` when `ns` is a namespace; other keys are left as they are. */
export function normaliseKey(key: string): string {
  if (key.includes(':')) return key;
  const dot = key.indexOf('.');
  if (dot > 0 && namespaces().includes(key.slice(0, dot))) return `${key.slice(0, dot)}:${key.slice(dot + 1)}`;
  return key;
}

/**
 * The message `key` (`namespace:dotted.key`) in `lang`, with `{{name}}` placeholders filled from
 * `params` (`count` picks the plural form). A missing message falls back to French, then to the key.
 */
export function t(lang: Language, key: string, params?: Record<string, unknown>): string {
  return state().instance.t(normaliseKey(key), { ...params, lng: lang }) as string;
}

/** Reads a cookie from the raw header (works whether or not @fastify/cookie parsed it). */
function cookieValue(request: FastifyRequest, name: string): string | undefined {
  const parsed = (request as FastifyRequest & { cookies?: Record<string, string | undefined> }).cookies;
  if (parsed && name in parsed) return parsed[name];
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** Where a request's language came from (the most specific wins). */
export interface LanguageSources {
  /** The signed-in person's preference, when the caller knows it. */
  preference?: string | null;
  /** The office's configured locale. @defaultValue `config.locale`, as the server decorated itself with */
  officeLocale?: string;
}

/**
 * The language of a request: `?lang=fr|en`, else the `lang` cookie, else the signed-in person's
 * preference (`request.principal.language`, or `sources.preference`), else the office's locale,
 * else French.
 */
export function resolveLanguage(request: FastifyRequest, sources: LanguageSources = {}): Language {
  const query = (request.query ?? {}) as Record<string, unknown>;
  if (isLanguage(query.lang)) return query.lang;
  const cookie = cookieValue(request, LANGUAGE_COOKIE);
  if (isLanguage(cookie)) return cookie;
  const officeLocale = sources.officeLocale ?? request.server?.officeLocale;
  const principal = (request as FastifyRequest & { principal?: { language?: string | null } | null }).principal;
  const preference = sources.preference ?? principal?.language;
  if (isLanguage(preference)) return preference;
  return languageOfLocale(officeLocale) ?? DEFAULT_LANGUAGE;
}
