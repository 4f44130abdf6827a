/*
 * Shared by every dashboard page: the token (kept in a SameSite=Strict cookie, so that the
 * page's requests and bull-board carry it), API calls, the navigation bar, number formats and
 * Vega-Lite charts in the Okabe–Ito palette, which stays readable for colour-blind people.
 */
'use strict';

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

  class ApiError extends Error {
    constructor(status, body) {
      super((body && body.message) || `HTTP ${status}`);
      this.status = status;
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
      throw new ApiError(401, { message: 'sign-in needed' });
    }
    const text = await res.text();
    const body = text ? JSON.parse(text) : null;
    if (!res.ok) throw new ApiError(res.status, body);
    return body;
  }

  const PAGES = [
    { href: '/call-list', label: 'Call list', roles: ['agent', 'lead', 'it', 'analyst'] },
    { href: '/model', label: 'Model', roles: ['lead', 'it', 'analyst'] },
    { href: '/drift', label: 'Monitoring', roles: ['lead', 'it', 'analyst'] },
    { href: '/pipeline', label: 'Pipeline', roles: ['lead', 'it', 'analyst'] },
    { href: '/queues', label: 'Queues', roles: ['it'] },
    { href: '/docs', label: 'API', roles: ['lead', 'it', 'analyst'] },
  ];

  /** Draws the top bar and returns the caller ({name, role}). */
  async function start(active) {
    const me = await api('/api/me');
    const nav = document.createElement('nav');
    nav.className = 'topbar';
    nav.innerHTML = `<span class="brand">relance</span>`;
    for (const p of PAGES.filter((x) => x.roles.includes(me.role))) {
      const a = document.createElement('a');
      a.href = p.href;
      a.textContent = p.label;
      if (p.href === active) a.className = 'active';
      nav.appendChild(a);
    }
    const who = document.createElement('span');
    who.className = 'who';
    who.textContent = `${me.name} · ${me.role}`;
    const out = document.createElement('a');
    out.href = '/login';
    out.textContent = 'Sign out';
    out.addEventListener('click', () => clearToken());
    nav.append(who, out);
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

  const fmt = {
    pct: (p, digits = 0) => (p === null || p === undefined ? '–' : `${(p * 100).toFixed(digits)} %`),
    eur: (x) => (x === null || x === undefined ? '–' : new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 }).format(x)),
    num: (x, digits = 2) => (x === null || x === undefined || Number.isNaN(x) ? '–' : Number(x).toFixed(digits)),
    date: (d) => (d ? String(d).slice(0, 10) : '–'),
    time: (d) => (d ? new Date(d).toLocaleTimeString('fr-FR', { hour: '2-digit', minute: '2-digit' }) : '–'),
    dateTime: (d) => (d ? new Date(d).toLocaleString('fr-FR', { dateStyle: 'short', timeStyle: 'short' }) : '–'),
    feature: (f) => String(f).replace(/_/g, ' '),
  };

  const VEGA_CONFIG = {
    range: { category: PALETTE },
    font: 'system-ui, sans-serif',
    axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridColor: '#eee' },
    view: { stroke: null },
    legend: { labelFontSize: 11, titleFontSize: 12 },
  };

  /** Renders a Vega-Lite spec into `target` (SVG, no action menu); marks it for the tests. */
  async function chart(target, spec, name) {
    const node = typeof target === 'string' ? document.getElementById(target) : target;
    node.classList.add('chart');
    if (name) node.dataset.chart = name;
    const full = Object.assign({ $schema: 'https://vega.github.io/schema/vega-lite/v6.json', width: 'container', config: VEGA_CONFIG }, spec);
    const result = await vegaEmbed(node, full, { actions: false, renderer: 'svg', tooltip: true });
    node.dataset.rendered = 'true';
    return result;
  }

  function showError(error) {
    const box = el('div', { class: 'error', role: 'alert', text: error && error.message ? error.message : String(error) });
    document.querySelector('main')?.prepend(box);
  }

  return { PALETTE, COLOURS, api, start, el, fmt, chart, showError, setToken, clearToken, ApiError };
})();
