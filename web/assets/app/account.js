// A signed-in user's own pages: shortlist, saved searches, inquiries, visits, notifications.
import { api, missingApi } from './api.js';
import { requireUser } from './session.js';
import { card, cityName, resetShortlist } from './cards.js';
import { clear, errorBox, field, h, toast } from './dom.js';
import { day, istDate, label, time, when } from './format.js';

const pages = {
  shortlist: ['Your shortlist', shortlist],
  searches: ['Saved searches', searches],
  inquiries: ['Your inquiries', inquiries],
  visits: ['Your site visits', visits],
  notifications: ['Notifications', notifications],
};

export async function render(ctx) {
  if (!(await requireUser(ctx))) return;
  const [title, fn] = pages[ctx.params.page];
  document.title = `${title} · Griha`;
  const body = h('div', { class: 'account-body' }, h('p', {}, 'Loading…'));
  ctx.main.append(h('section', { class: 'account-page' },
    h('nav', { class: 'tabs', 'aria-label': 'Your account' }, Object.entries(pages).map(([p, [t]]) =>
      h('a', { href: `/account/${p}`, 'aria-current': p === ctx.params.page ? 'page' : null }, t))),
    h('h1', {}, title), body));
  try {
    await fn(body, ctx);
  } catch (err) {
    clear(body, missingApi(err) ? h('p', { class: 'notice' }, 'This is not available on this server yet.') : errorBox(err));
  }
}

const items = (r) => r?.items || r?.visits || r?.saved_searches || [];

async function shortlist(body) {
  resetShortlist();
  const list = items(await api('/api/v1/me/shortlist'));
  const cards = list.map((i) => {
    // A shortlisted listing that is no longer public keeps its title and nothing else.
    if (!i.listing) return h('li', { class: 'card gone' }, h('div', { class: 'body' },
      h('h3', {}, i.title || `Listing ${i.listing_id}`), h('p', { class: 'muted' }, 'No longer available'),
      h('button', { type: 'button', class: 'btn small', onclick: async () => {
        await api(`/api/v1/me/shortlist/${i.listing_id}`, { method: 'DELETE' }).catch((e) => toast(e.message, 'error'));
        shortlist(body);
      } }, 'Remove')));
    const l = i.listing;
    return card({ ...l, area_sqft: l.carpet_area_sqft ?? l.built_up_area_sqft ?? l.super_built_up_area_sqft,
      city: cityName(l.city_id) });
  });
  clear(body, cards.length ? h('ul', { class: 'cards' }, cards) : h('p', {}, 'Nothing shortlisted yet. Use ♡ on a listing to keep it here.'));
}

async function searches(body) {
  const render = async () => {
    const list = items(await api('/api/v1/me/saved-searches'));
    clear(body, list.length ? h('ul', { class: 'rows' }, list.map((s) => {
      const freq = h('select', { 'aria-label': `Alerts for ${s.name}`, value: s.frequency },
        [['instant', 'Instant'], ['daily', 'Daily'], ['weekly', 'Weekly'], ['off', 'Off']].map(([v, t]) => h('option', { value: v }, t)));
      freq.addEventListener('change', async () => {
        try {
          await api(`/api/v1/me/saved-searches/${s.id}`, { method: 'PATCH', body: { frequency: freq.value } });
          toast('Alert frequency saved');
        } catch (err) {
          toast(err.message, 'error');
        }
      });
      return h('li', { class: 'row' },
        h('a', { href: `/search?${s.query}` }, s.name),
        h('label', { class: 'inline' }, 'Alerts ', freq),
        h('button', { type: 'button', class: 'btn small danger', onclick: async () => {
          await api(`/api/v1/me/saved-searches/${s.id}`, { method: 'DELETE' }).catch((e) => toast(e.message, 'error'));
          render();
        } }, 'Delete'));
    })) : h('p', {}, 'No saved searches. Use "Save search" on a results page.'));
  };
  await render();
}

async function inquiries(body) {
  const list = items(await api('/api/v1/me/inquiries'));
  clear(body, list.length ? h('ul', { class: 'rows' }, list.map((i) => h('li', { class: 'row' },
    h('div', {}, h('a', { href: `/listings/${i.listing_id}` }, i.listing_title || `Listing ${i.listing_id}`),
      h('p', { class: 'muted' }, i.message)),
    h('span', { class: 'muted' }, when(i.created_at)),
    i.status ? h('span', { class: 'badge' }, label(i.status)) : null)))
    : h('p', {}, 'You have not sent any inquiries yet.'));
}

async function visits(body) {
  const render = async () => {
    const list = items(await api('/api/v1/me/visits'));
    clear(body, list.length ? h('ul', { class: 'rows' }, list.map((v) => visitRow(v, render)))
      : h('p', {}, 'No visits booked. Book one from a listing page.'));
  };
  await render();
}

// One visit with cancel and reschedule (used by seekers here and listers on the dashboard).
export function visitRow(v, refresh) {
  const status = h('div', { role: 'status', 'aria-live': 'polite' });
  const actions = h('div', { class: 'row-actions' });
  const upcoming = !['cancelled', 'visited', 'no_show'].includes(v.status);
  const reasonForm = (verb, extra, submit) => {
    const reason = h('input', { type: 'text', name: 'reason', required: true, maxlength: 300 });
    return h('form', { class: 'inline-form', onsubmit: async (e) => {
      e.preventDefault();
      try {
        await submit(reason.value.trim());
        toast(`Visit ${verb}`);
        refresh();
      } catch (err) {
        clear(status, errorBox(err));
      }
    } }, extra, field('Reason', reason), h('button', { type: 'submit', class: 'btn small primary' }, 'Confirm'));
  };
  if (upcoming) {
    actions.append(
      h('button', { type: 'button', class: 'btn small', onclick: () => clear(status,
        reasonForm('cancelled', null, (reason) => api(`/api/v1/visits/${v.id}/cancel`, { method: 'POST', body: { reason } }))) }, 'Cancel'),
      h('button', { type: 'button', class: 'btn small', onclick: async () => {
        let slots = [];
        try {
          ({ slots } = await api(`/api/v1/listings/${v.listing_id}/slots?from=${istDate()}&days=14`));
        } catch (err) {
          clear(status, errorBox(err));
          return;
        }
        const pick = h('select', { name: 'start' }, slots.filter((s) => s.available)
          .map((s) => h('option', { value: s.start }, `${day(s.start)} ${time(s.start)}`)));
        clear(status, reasonForm('rescheduled', field('New time', pick), (reason) =>
          api(`/api/v1/visits/${v.id}/reschedule`, { method: 'POST', body: { start: pick.value, reason } })));
      } }, 'Reschedule'));
  }
  return h('li', { class: 'row' },
    h('div', {}, h('a', { href: `/listings/${v.listing_id}` }, v.listing_title || `Listing ${v.listing_id}`),
      h('p', {}, `${day(v.start)}, ${time(v.start)}`, v.end ? `–${time(v.end)}` : '', ' (India time)'),
      v.seeker?.name || v.contact?.name ? h('p', { class: 'muted' }, `Visitor: ${v.seeker?.name || v.contact?.name}`) : null),
    h('span', { class: 'badge' }, label(v.status || 'booked')),
    actions, status);
}

async function notifications(body) {
  const render = async () => {
    const r = await api('/api/v1/me/notifications');
    const list = items(r);
    clear(body, r.unread_count ? h('p', {}, `${r.unread_count} unread · `, h('button', { type: 'button', class: 'link', onclick: async () => {
      await api('/api/v1/me/notifications/read-all', { method: 'POST' }).catch((e) => toast(e.message, 'error'));
      render();
    } }, 'Mark all as read')) : null,
    list.length ? h('ul', { class: 'rows' }, list.map((n) => h('li', { class: `row${n.read_at ? '' : ' unread'}` },
      h('div', {}, h('strong', {}, n.link?.startsWith('/') ? h('a', { href: n.link }, n.title || label(n.kind)) : n.title || label(n.kind || 'notification')),
        h('p', {}, n.body || ''), h('p', { class: 'muted' }, when(n.created_at))),
      n.read_at ? h('span', { class: 'muted' }, 'Read') : h('button', { type: 'button', class: 'btn small', onclick: async () => {
        await api(`/api/v1/me/notifications/${n.id}/read`, { method: 'POST' }).catch((e) => toast(e.message, 'error'));
        render();
      } }, 'Mark as read'))))
      : h('p', {}, 'No notifications.'));
  };
  await render();
}
