// Sign in (password, SMS code, or the configured OpenID provider), sign up, forgotten
// password. The reset link in the email opens the server's own page (/account/reset-password).
import { api, config, isLister, signIn } from './api.js';
import { navigate } from './session.js';
import { clear, errorBox, field, h, toast } from './dom.js';

// Only same-site paths may be returned to after signing in.
function nextPath(query, user) {
  const next = query.get('next');
  if (next && next.startsWith('/') && !next.startsWith('//')) return next;
  if (user?.role === 'admin') return '/admin';
  return isLister() ? '/dashboard' : '/';
}

const tabs = [['signin', 'Password'], ['otp', 'SMS code']];

export async function render(ctx) {
  const { page } = ctx.params;
  const titles = { signin: 'Sign in', otp: 'Sign in with an SMS code', signup: 'Create your account', forgot: 'Forgot your password?' };
  document.title = `${titles[page]} · Griha`;
  const status = h('div', { role: 'status', 'aria-live': 'polite' });
  const wrap = h('section', { class: 'auth-page' }, h('h1', {}, titles[page]));
  if (page === 'signin' || page === 'otp')
    wrap.append(h('nav', { class: 'tabs', 'aria-label': 'Ways to sign in' }, tabs.map(([p, l]) =>
      h('a', { href: `/account/${p}${location.search}`, 'aria-current': p === page ? 'page' : null }, l))));
  wrap.append(forms[page](ctx, status), status);
  const cfg = await config();
  if (cfg.oidc && page !== 'forgot')
    wrap.append(h('p', { class: 'or' }, 'or'),
      h('p', {}, h('a', { class: 'btn social', href: '/api/v1/auth/oidc/start' }, 'Continue with Google')));
  ctx.main.append(wrap);
  wrap.querySelector('input')?.focus();
}

async function done(ctx, tokens) {
  const user = await signIn(tokens);
  toast(`Signed in${user?.name ? ` as ${user.name}` : ''}`);
  navigate(nextPath(ctx.query, user), { replace: true });
}

const forms = {
  signin(ctx, status) {
    const email = h('input', { type: 'text', name: 'email', autocomplete: 'username', required: true, spellcheck: 'false' });
    const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
    return h('form', { class: 'stack', onsubmit: async (e) => {
      e.preventDefault();
      clear(status);
      try {
        const identifier = email.value.trim();
        const body = identifier.includes('@') ? { email: identifier } : { phone: identifier };
        await done(ctx, await api('/api/v1/auth/signin', { method: 'POST', body: { ...body, password: password.value } }));
      } catch (err) {
        clear(status, errorBox(err));
      }
    } },
    field('Email or mobile number', email), field('Password', password),
    h('button', { type: 'submit', class: 'btn primary' }, 'Sign in'),
    h('p', {}, h('a', { href: '/account/forgot' }, 'Forgot your password?'), ' · ',
      h('a', { href: `/account/signup${location.search}` }, 'Create an account')));
  },

  otp(ctx, status) {
    const phone = h('input', { type: 'tel', name: 'phone', autocomplete: 'tel', required: true, placeholder: '+91 98765 43210' });
    const code = h('input', { type: 'text', name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 6, pattern: '[0-9]{6}' });
    const codeField = field('6-digit code', code);
    codeField.hidden = true;
    const submit = h('button', { type: 'submit', class: 'btn primary' }, 'Send code');
    return h('form', { class: 'stack', onsubmit: async (e) => {
      e.preventDefault();
      clear(status);
      try {
        if (codeField.hidden) {
          await api('/api/v1/auth/otp/request', { method: 'POST', body: { phone: phone.value.trim() } });
          codeField.hidden = false;
          submit.textContent = 'Sign in';
          status.textContent = 'We sent a code by SMS. It is valid for 5 minutes.';
          code.focus();
        } else {
          await done(ctx, await api('/api/v1/auth/otp/verify', { method: 'POST',
            body: { phone: phone.value.trim(), code: code.value.trim() } }));
        }
      } catch (err) {
        clear(status, errorBox(err));
      }
    } }, field('Mobile number', phone, 'An Indian mobile number; a new number gets a new account.'), codeField, submit);
  },

  signup(ctx, status) {
    const name = h('input', { type: 'text', name: 'name', autocomplete: 'name', required: true, maxlength: 100 });
    const email = h('input', { type: 'email', name: 'email', autocomplete: 'email', required: true });
    const phone = h('input', { type: 'tel', name: 'phone', autocomplete: 'tel', placeholder: '+91 98765 43210' });
    const password = h('input', { type: 'password', name: 'password', autocomplete: 'new-password', required: true, minlength: 12, maxlength: 128 });
    const role = h('fieldset', { class: 'group' }, h('legend', {}, 'I am'),
      [['seeker', 'Looking for a home'], ['owner', 'An owner with a property to list'], ['agent', 'An agent'], ['builder', 'A builder']]
        .map(([v, l], i) => h('label', { class: 'check' }, h('input', { type: 'radio', name: 'role', value: v, checked: i === 0 }), ' ', l)));
    const agency = h('input', { type: 'text', name: 'agency', maxlength: 120 });
    const rera = h('input', { type: 'text', name: 'rera_number', maxlength: 60 });
    const pro = h('div', { hidden: true }, field('Agency or company', agency), field('RERA registration number', rera));
    role.addEventListener('change', () => {
      pro.hidden = !['agent', 'builder'].includes(role.querySelector('input:checked').value);
    });
    const form = h('form', { class: 'stack', onsubmit: async (e) => {
      e.preventDefault();
      clear(status);
      const body = { name: name.value.trim(), email: email.value.trim(), password: password.value,
        role: new FormData(form).get('role') };
      if (phone.value.trim()) body.phone = phone.value.trim();
      if (!pro.hidden && agency.value.trim()) body.agency = agency.value.trim();
      if (!pro.hidden && rera.value.trim()) body.rera_number = rera.value.trim();
      try {
        await api('/api/v1/auth/register', { method: 'POST', body });
        toast('Account created. Check your email to verify your address.');
        await done(ctx, await api('/api/v1/auth/signin', { method: 'POST', body: { email: body.email, password: body.password } }));
      } catch (err) {
        clear(status, errorBox(err));
      }
    } },
    field('Your name', name), field('Email', email), field('Mobile number (optional)', phone),
    field('Password', password, '12 characters or more; a phrase of a few words is easy to remember.'),
    role, pro,
    h('button', { type: 'submit', class: 'btn primary' }, 'Create account'),
    h('p', {}, 'Have an account? ', h('a', { href: `/account/signin${location.search}` }, 'Sign in')));
    return form;
  },

  forgot(ctx, status) {
    const email = h('input', { type: 'email', name: 'email', autocomplete: 'email', required: true });
    return h('form', { class: 'stack', onsubmit: async (e) => {
      e.preventDefault();
      clear(status);
      try {
        await api('/api/v1/auth/password/forgot', { method: 'POST', body: { email: email.value.trim() } });
        clear(status, h('p', { class: 'success' }, 'If that address has an account, a reset link is on its way. It works once, for 30 minutes.'));
      } catch (err) {
        clear(status, errorBox(err));
      }
    } }, field('Email', email), h('button', { type: 'submit', class: 'btn primary' }, 'Email me a reset link'));
  },
};
