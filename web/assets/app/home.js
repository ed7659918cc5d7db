// The home page: where, buy or rent, and go.
import { navigate } from './session.js';
import { h } from './dom.js';
import { placeInput } from './places.js';

const CITIES = [['Mumbai', 1], ['Delhi', 2], ['Bengaluru', 3], ['Hyderabad', 4], ['Chennai', 5],
  ['Kolkata', 6], ['Pune', 7], ['Ahmedabad', 8]];

export function render({ main }) {
  document.title = 'Griha — homes to buy and rent in India';
  let chosen = null;
  const place = placeInput({ label: 'Where?', onPick: (p) => (chosen = p) });
  place.input.addEventListener('input', () => (chosen = null));
  const mode = h('fieldset', { class: 'segmented' }, h('legend', {}, 'Looking to'),
    ...[['buy', 'Buy'], ['rent', 'Rent']].map(([v, l], i) => h('label', {},
      h('input', { type: 'radio', name: 'mode', value: v, checked: i === 0 }), l)));
  const form = h('form', { class: 'hero-search', role: 'search', onsubmit: (e) => {
    e.preventDefault();
    const q = new URLSearchParams();
    const m = new FormData(form).get('mode');
    if (m === 'rent') q.append('transaction', 'rent');
    else q.append('transaction', 'sale_resale'), q.append('transaction', 'sale_new');
    if (chosen) {
      q.set('city', chosen.city_id);
      if (chosen.locality_id) q.set('locality', chosen.locality_id);
    } else if (place.input.value.trim()) {
      q.set('q', place.input.value.trim());
    }
    navigate(`/search?${q}`);
  } }, mode, place.el, h('button', { type: 'submit', class: 'btn primary' }, 'Search'));

  main.append(
    h('section', { class: 'hero' },
      h('h1', {}, 'Find a home in India'),
      h('p', { class: 'tagline' }, 'Flats, houses and plots from owners, agents and builders — with RERA numbers and verified listings.'),
      form),
    h('section', { class: 'cities', 'aria-labelledby': 'cities-h' },
      h('h2', { id: 'cities-h' }, 'Popular cities'),
      h('ul', { class: 'chips' }, CITIES.map(([name, id]) =>
        h('li', {}, h('a', { href: `/search?city=${id}`, class: 'chip' }, name))))),
  );
}
