// Building the page from data without innerHTML: every text goes in as a text node, so a
// listing title or a user's name can never become markup.

// h('a', {href: '/x', class: 'btn', onclick: fn}, 'text', child, [more, children])
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  let value;
  for (const [key, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (key === 'class') el.className = v;
    else if (key === 'value') value = v;
    else if (key === 'dataset') Object.assign(el.dataset, v);
    else if (key.startsWith('on') && typeof v === 'function') el.addEventListener(key.slice(2), v);
    else el.setAttribute(key, v === true ? '' : String(v));
  }
  append(el, children);
  // After the children, so that a <select> finds its options.
  if (value !== undefined) el.value = value;
  return el;
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

export const $ = (sel, root = document) => root.querySelector(sel);
export const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];

let uid = 0;
export const nextId = (prefix = 'f') => `${prefix}-${++uid}`;

// A labelled form field: label + control (+ hint), wired with for/id and aria-describedby.
export function field(label, control, hint) {
  const id = control.id || (control.id = nextId());
  const wrap = h('div', { class: 'field' }, h('label', { for: id }, label), control);
  if (hint) {
    const hid = `${id}-hint`;
    control.setAttribute('aria-describedby', hid);
    wrap.append(h('small', { id: hid, class: 'hint' }, hint));
  }
  return wrap;
}

export function select(name, options, value, attrs = {}) {
  return h('select', { name, ...attrs, value: value ?? '' },
    options.map(([v, label]) => h('option', { value: v }, label)));
}

// Shows a message in the polite live region (read out by screen readers).
let toastTimer;
export function toast(message, kind = 'info') {
  const el = document.getElementById('toast');
  if (!el) return;
  el.textContent = message;
  el.dataset.kind = kind;
  el.classList.add('show');
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => el.classList.remove('show'), 4000);
}

// An inline error box for a failed API call; field errors listed by name. A field is a JSON
// Pointer ("/windows/2/start"): shown as "windows 2 start", without the RFC 6901 escapes.
export function errorBox(err) {
  const box = h('div', { class: 'error', role: 'alert' }, err.message || String(err));
  const name = (pointer) => String(pointer || '').split('/').filter(Boolean)
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~')).join(' ');
  if (err.fields?.length)
    box.append(h('ul', {}, err.fields.map((f) => h('li', {}, `${name(f.field)}: ${f.message}`))));
  return box;
}

export function debounce(fn, ms) {
  let t;
  return (...args) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...args), ms);
  };
}

// Loads a classic script once (the vendored Leaflet and Chart.js are UMD builds).
const scripts = new Map();
export function loadScript(src) {
  if (!scripts.has(src))
    scripts.set(src, new Promise((resolve, reject) => {
      const s = h('script', { src });
      s.onload = resolve;
      s.onerror = () => reject(new Error(`could not load ${src}`));
      document.head.append(s);
    }));
  return scripts.get(src);
}

export function loadStyle(href) {
  if (!document.querySelector(`link[href="${href}"]`))
    document.head.append(h('link', { rel: 'stylesheet', href }));
}
