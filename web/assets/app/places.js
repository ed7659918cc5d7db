// City and locality autocomplete over GET /api/v1/places, as an ARIA combobox: type, move with
// the arrow keys, Enter or click to choose, Escape to close.
import { api } from './api.js';
import { debounce, h, nextId } from './dom.js';

// placeInput({label, onPick(place), city}) -> {el, input, set(label)}
export function placeInput({ label = 'City or locality', placeholder = 'e.g. Baner, Pune', onPick, city,
  value = '', name = 'place' } = {}) {
  const listId = nextId('places');
  const input = h('input', {
    type: 'text', name, id: nextId('place'), autocomplete: 'off', role: 'combobox',
    'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': listId, placeholder,
    value, spellcheck: 'false',
  });
  const list = h('ul', { id: listId, role: 'listbox', class: 'suggestions', hidden: true,
    'aria-label': 'Suggestions' });
  let items = [];
  let active = -1;
  let seq = 0;

  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };
  const pick = (i) => {
    const p = items[i];
    if (!p) return;
    input.value = p.label;
    close();
    onPick?.(p);
  };
  const highlight = (i) => {
    active = i;
    [...list.children].forEach((li, k) => li.setAttribute('aria-selected', String(k === i)));
    if (i >= 0) input.setAttribute('aria-activedescendant', list.children[i].id);
  };
  const lookup = debounce(async () => {
    const q = input.value.trim();
    if (!q || q.length > 64) return close();
    const mine = ++seq;
    const params = new URLSearchParams({ q, limit: '8' });
    const c = typeof city === 'function' ? city() : city;
    if (c) params.set('city', c);
    let places = [];
    try {
      ({ places } = await api(`/api/v1/places?${params}`));
    } catch {
      places = [];
    }
    if (mine !== seq) return;
    items = places;
    list.replaceChildren(...places.map((p, i) => h('li', {
      id: `${listId}-${i}`, role: 'option', 'aria-selected': 'false', class: 'suggestion',
      onmousedown: (e) => {
        e.preventDefault();
        pick(i);
      },
    }, p.label, h('small', {}, p.kind === 'city' ? ' city' : ''))));
    list.hidden = places.length === 0;
    input.setAttribute('aria-expanded', String(places.length > 0));
    active = -1;
  }, 150);

  input.addEventListener('input', lookup);
  input.addEventListener('blur', () => setTimeout(close, 100));
  input.addEventListener('keydown', (e) => {
    if (list.hidden) return;
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      highlight(Math.min(items.length - 1, active + 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      highlight(Math.max(0, active - 1));
    } else if (e.key === 'Enter' && active >= 0) {
      e.preventDefault();
      pick(active);
    } else if (e.key === 'Escape') {
      close();
    }
  });

  const el = h('div', { class: 'field combobox' }, h('label', { for: input.id }, label), input, list);
  return { el, input, set: (v) => (input.value = v) };
}
