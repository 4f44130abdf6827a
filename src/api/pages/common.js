/*
 * Shared by every dashboard page: the messages (i18next, French by default: `<html lang>` is set
 * by the server from ?lang=, the lang cookie, the person's preference or the office's locale),
 * number and date formats of that language, the token (kept in a SameSite=Strict cookie, so that
 * the page's requests and bull-board carry it), API calls, the navigation bar and Vega-Lite charts
 * in the Okabe–Ito palette, which stays readable for colour-blind people.
 * No user-visible text here or in the pages' scripts: every message is in src/api/i18n/locales.
 */
'use strict';

/** Messages: `await i18n.ready()`, then `t('ns:key', params)`. */
const i18n = (() => {
  const root = document.documentElement;
  const lang = root.lang === 'en' ? 'en' : 'fr';
  let instance;
  let loading;

  /** Fills `data-i18n` (text), `data-i18n-placeholder`, `data-i18n-title` and `data-i18n-aria-label` under `node`. */
  function apply(node = document) {
    for (const e of node.querySelectorAll('[data-i18n]')) e.textContent = t(e.dataset.i18n);
    for (const e of node.querySelectorAll('[data-i18n-placeholder]')) e.setAttribute('placeholder', t(e.dataset.i18nPlaceholder));
    for (const e of node.querySelectorAll('[data-i18n-title]')) e.setAttribute('title', t(e.dataset.i18nTitle));
    for (const e of node.querySelectorAll('[data-i18n-aria-label]')) e.setAttribute('aria-label', t(e.dataset.i18nAriaLabel));
  }

  async function load() {
    const res = await fetch(`/i18n/${lang}.json`, { credentials: 'same-origin' });
    const resources = await res.json();
    instance = i18next.createInstance();
    await instance.init({
      lng: lang,
      resources: { [lang]: resources },
      ns: Object.keys(resources),
      defaultNS: 'common',
      nsSeparator: ':',
      keySeparator: '.',
      interpolation: { escapeValue: false },
      returnNull: false,
    });
    apply(document);
    return instance;
  }

  /** `ns.key` reads as `ns:key` when `ns` is a namespace (both spellings are accepted). */
  function normalise(key) {
    if (key.includes(':') || !instance) return key;
    const dot = key.indexOf('.');
    return dot > 0 && instance.options.ns.includes(key.slice(0, dot)) ? `${key.slice(0, dot)}:${key.slice(dot + 1)}` : key;
  }

  function t(key, params) {
    // Before ready() there is nothing to say yet: the key shows, and the tests catch it.
    if (!instance) return key;
    return instance.t(normalise(key), params);
  }

  /** True when the catalogue has `key`. */
  function exists(key) {
    return Boolean(instance) && instance.exists(normalise(key));
  }

  return { lang, locale: root.dataset.locale || (lang === 'en' ? 'en-GB' : 'fr-FR'), timeZone: root.dataset.timeZone || 'Europe/Paris', ready: () => (loading ||= load()), t, exists, apply };
})();

/** Shorthand of {@link i18n.t}. */
const t = (key, params) => i18n.t(key, params);

/** Numbers and dates in the page's language: fr-FR `1 234,56 €`, `04/12/2026`, `14:30`. */
const fmt = (() => {
  const L = i18n.locale;
  const missing = (x) => x === null || x === undefined || (typeof x === 'number' && Number.isNaN(x)) || x === '';
  const DASH = '–';
  const cache = new Map();
  const nf = (options) => {
    const key = JSON.stringify(options);
    if (!cache.has(key)) cache.set(key, new Intl.NumberFormat(L, options));
    return cache.get(key);
  };
  /** A date-only `YYYY-MM-DD` is a calendar day (no time zone); anything else is an instant. */
  const isDay = (s) => typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s);
  const instant = (iso) => (isDay(iso) ? new Date(`${iso}T12:00:00Z`) : new Date(iso));
  const dateZone = (iso, timeZone) => (isDay(iso) ? 'UTC' : timeZone || i18n.timeZone);
  return {
    /** Euros with cents: `1 234,56 €`. */
    money: (x, digits = 2) => (missing(x) ? DASH : nf({ style: 'currency', currency: 'EUR', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(Number(x))),
    /** A number with `digits` decimals: `1 234,5`. */
    number: (x, digits = 0) => (missing(x) ? DASH : nf({ minimumFractionDigits: digits, maximumFractionDigits: digits }).format(Number(x))),
    /** A share as a percentage: `12 %`. */
    percent: (x, digits = 0) => (missing(x) ? DASH : nf({ style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(Number(x))),
    /** A day: `04/12/2026` (a date-only string is that calendar day; an instant is read in the office's zone). */
    date: (iso, timeZone) => (missing(iso) ? DASH : new Intl.DateTimeFormat(L, { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: dateZone(iso, timeZone) }).format(instant(iso))),
    /** A day with its weekday: `vendredi 04/12/2026`. */
    longDate: (iso, timeZone) => (missing(iso) ? DASH : new Intl.DateTimeFormat(L, { weekday: 'long', day: '2-digit', month: '2-digit', year: 'numeric', timeZone: dateZone(iso, timeZone) }).format(instant(iso))),
    /** A time of day in `timeZone` (the debtor's), else the office's: `14:30`. */
    time: (iso, timeZone) => (missing(iso) ? DASH : new Intl.DateTimeFormat(L, { hour: '2-digit', minute: '2-digit', timeZone: timeZone || i18n.timeZone }).format(new Date(iso))),
    /** Day and time in `timeZone`, else the office's: `04/12/2026 14:30`. */
    dateTime: (iso, timeZone) => (missing(iso) ? DASH : `${fmt.date(iso, timeZone)} ${fmt.time(iso, timeZone)}`),
    /** A duration in milliseconds: `1 min 05 s`, `3,2 s`. */
    duration: (ms) => {
      if (missing(ms)) return DASH;
      const s = Number(ms) / 1000;
      if (s < 60) return t('common:units.seconds', { value: fmt.number(s, 1) });
      const m = Math.floor(s / 60);
      return t('common:units.minutes_seconds', { minutes: fmt.number(m), seconds: String(Math.round(s - m * 60)).padStart(2, '0') });
    },
    // The names the first pages used, kept for their scripts.
    pct: (p, digits = 0) => fmt.percent(p, digits),
    eur: (x) => fmt.money(x, 0),
    num: (x, digits = 2) => fmt.number(x, digits),
    /** A model feature in words: its catalogue label when there is one. */
    feature: (f) => (i18n.exists(`common:features.${f}`) ? t(`common:features.${f}`) : String(f).replace(/_/g, ' ')),
  };
})();

const Relance = (() => {
  const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#56B4E9', '#CC79A7', '#F0E442', '#000000'];
  const COLOURS = { positive: '#0072B2', negative: '#D55E00', neutral: '#999999', accent: '#E69F00', good: '#009E73' };
  const TOKEN_COOKIE = 'relance_token';

  function setToken(token) {
    document.cookie = `${TOKEN_COOKIE}=${encodeURIComponent(token)}; path=/; SameSite=Strict; max-age=${60 * 60 * 24 * 30}`;
  }
  function clearToken() {
    document.cookie = `${TOKEN_COOKIE}=; path=/; SameSite=Strict; max-age=0`;
  }

  /** An API error; its message is in the page's language (from the error code, not the server's English text). */
  class ApiError extends Error {
    constructor(status, body) {
      const code = (body && body.error) || (status >= 500 ? 'internal' : 'bad_request');
      const key = `common:errors.${code}`;
      super(i18n.exists(key) ? t(key, { field: (body && body.field) || '', status }) : t('common:errors.http', { status }));
      this.status = status;
      this.code = code;
      this.body = body;
    }
  }

  async function api(path, options = {}) {
    const init = { method: options.method || 'GET', headers: { accept: 'application/json' }, credentials: 'same-origin' };
    if (options.body !== undefined) {
      init.headers['content-type'] = 'application/json';
      init.body = JSON.stringify(options.body);
    }
    const res = await fetch(path, init);
    if (res.status === 401) {
      location.href = '/login?next=' + encodeURIComponent(location.pathname + location.search);
      throw new ApiError(401, { error: 'unauthorized' });
    }
    const text = await res.text();
    const body = text ? JSON.parse(text) : null;
    if (!res.ok) throw new ApiError(res.status, body);
    return body;
  }

  const PAGES = [
    { href: '/my-calls', key: 'callroom:nav', roles: ['agent', 'lead'] },
    { href: '/call-list', key: 'common:nav.call_list', roles: ['agent', 'lead', 'it', 'analyst'] },
    { href: '/lead', key: 'common:nav.lead', roles: ['lead', 'it'] },
    { href: '/model', key: 'common:nav.model', roles: ['lead', 'it', 'analyst'] },
    { href: '/drift', key: 'common:nav.monitoring', roles: ['lead', 'it', 'analyst'] },
    { href: '/pipeline', key: 'common:nav.pipeline', roles: ['lead', 'it', 'analyst'] },
    { href: '/queues', key: 'common:nav.queues', roles: ['it'] },
    { href: '/docs', key: 'common:nav.api', roles: ['lead', 'it', 'analyst'] },
  ];

  /** The address of this page in the other language. */
  function otherLanguageHref() {
    const q = new URLSearchParams(location.search);
    q.set('lang', i18n.lang === 'fr' ? 'en' : 'fr');
    return `${location.pathname}?${q}${location.hash}`;
  }

  /** Loads the messages, draws the top bar and returns the caller ({name, role, language, lang}). */
  async function start(active) {
    await i18n.ready();
    const me = await api('/api/me');
    const nav = document.createElement('nav');
    nav.className = 'topbar';
    nav.append(el('span', { class: 'brand', text: 'relance' }));
    for (const p of PAGES.filter((x) => x.roles.includes(me.role))) {
      nav.append(el('a', { href: p.href, class: p.href === active ? 'active' : undefined, text: t(p.key) }));
    }
    const who = el('span', { class: 'who', text: `${me.name} · ${t(`common:roles.${me.role}`)}` });
    const language = el('a', { href: otherLanguageHref(), id: 'language', lang: i18n.lang === 'fr' ? 'en' : 'fr', text: t('common:nav.other_language') });
    const out = el('a', { href: '/login', text: t('common:nav.sign_out'), onclick: () => clearToken() });
    nav.append(who, language, out);
    document.body.prepend(nav);
    return me;
  }

  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') node.className = v;
      else if (k === 'text') node.textContent = v;
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return node;
  }

  const VEGA_CONFIG = {
    range: { category: PALETTE },
    font: 'system-ui, sans-serif',
    axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridColor: '#eee' },
    view: { stroke: null },
    legend: { labelFontSize: 11, titleFontSize: 12 },
  };

  let vegaLocale;
  /** d3 number and time formats of the page's language, for Vega's axes and tooltips. */
  async function chartLocale() {
    vegaLocale ||= fetch(`/i18n/${i18n.lang}/vega-locale.json`).then((r) => r.json());
    return vegaLocale;
  }

  /** Renders a Vega-Lite spec into `target` (SVG, no action menu, the page's number and date formats); marks it for the tests. */
  async function chart(target, spec, name) {
    const node = typeof target === 'string' ? document.getElementById(target) : target;
    node.classList.add('chart');
    if (name) node.dataset.chart = name;
    const full = Object.assign({ $schema: 'https://vega.github.io/schema/vega-lite/v6.json', width: 'container', config: VEGA_CONFIG }, spec);
    const locale = await chartLocale();
    const result = await vegaEmbed(node, full, { actions: false, renderer: 'svg', tooltip: true, formatLocale: locale.format, timeFormatLocale: locale.timeFormat });
    node.dataset.rendered = 'true';
    return result;
  }

  /**
   * A time axis of calendar days (`YYYY-MM-DD` fields) in the page's date format; with a single
   * day the axis shows that date (not the hours around it).
   */
  function dateAxis(field, title, rows) {
    const days = [...new Set(rows.map((r) => r[field]).filter(Boolean))];
    const axis = { format: '%d/%m/%Y', formatType: 'utc', labelOverlap: true, labelAngle: 0 };
    if (days.length === 1) Object.assign(axis, { values: [Date.parse(`${String(days[0]).slice(0, 10)}T00:00:00Z`)] });
    return { field, type: 'temporal', timeUnit: 'utcyearmonthdate', title, axis };
  }

  /** A tooltip line for a calendar day. */
  const dateTooltip = (field, title) => ({ field, type: 'temporal', timeUnit: 'utcyearmonthdate', format: '%d/%m/%Y', formatType: 'utc', title });

  function showError(error) {
    const box = el('div', { class: 'error', role: 'alert', text: error && error.message ? error.message : String(error) });
    document.querySelector('main')?.prepend(box);
  }

  /** Asks before an action that changes the pipeline; resolves true when confirmed. */
  function confirmAction(message) {
    return Promise.resolve(window.confirm(message));
  }

  return { PALETTE, COLOURS, api, start, el, fmt, t, i18n, chart, dateAxis, dateTooltip, showError, confirmAction, setToken, clearToken, ApiError };
})();
