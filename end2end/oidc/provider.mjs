// A real OpenID Connect provider for Aula's tests and for trying single sign-on locally:
// `oidc-provider` (a certified implementation) with one client, `aula`, and a sign-in page of
// its own where any address and any non-empty password sign in as that person.
//
//   OIDC_PORT=4455 OIDC_REDIRECT_URIS=http://127.0.0.1:3000/sso/test/callback \
//     node end2end/oidc/provider.mjs
//
// Environment:
//   OIDC_PORT            port on 127.0.0.1 (0: any free one)                      default 0
//   OIDC_REDIRECT_URIS   comma-separated redirect URIs of the `aula` client          required
//   OIDC_CLIENT_SECRET   the `aula` client's secret                   default aula-test-secret
//   OIDC_EXIT_WITH_STDIN `1`: exit when standard input closes (the test process ended)
//
// Prints one line of JSON when it listens: {"issuer": "http://127.0.0.1:<port>"}.
//
// To test that Aula refuses bad tokens, a few addresses make this provider misbehave after it
// issued the ID token (the token endpoint's answer is re-signed with a changed claim):
//   wrong-audience@…  `aud` is another application
//   expired@…         `exp` an hour ago
//   wrong-issuer@…    `iss` another issuer
//   forged@…          signed with a key the provider does not publish
//   no-email@…        the ID token carries no address
// Names: the form's given and family name; `unverified@…` is not marked as verified.

import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';

import * as jose from 'jose';
import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT ?? 0);
const redirectUris = (process.env.OIDC_REDIRECT_URIS ?? '')
  .split(',')
  .map((u) => u.trim())
  .filter(Boolean);
if (redirectUris.length === 0) {
  console.error('OIDC_REDIRECT_URIS must name at least one redirect URI');
  process.exit(2);
}
const clientSecret = process.env.OIDC_CLIENT_SECRET ?? 'aula-test-secret';

// Keys made at every start: nothing secret is kept in the repository.
const signing = await jose.generateKeyPair('RS256', { extractable: true });
const signingJwk = { ...(await jose.exportJWK(signing.privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
const stranger = await jose.generateKeyPair('RS256', { extractable: true });

/** People who signed in, by subject: their claims. */
const people = new Map();

const subjectOf = (email) => `user-${createHash('sha256').update(email).digest('hex').slice(0, 16)}`;

const escape = (text) => String(text ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title, body) {
  return `<!doctype html><html lang="it"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem;color:#1b2733}
h1{font-size:1.4rem}label{display:block;margin:.8rem 0 .2rem}input{width:100%;padding:.5rem;font-size:1rem;box-sizing:border-box}
button{margin-top:1rem;padding:.6rem 1.2rem;font-size:1rem;background:#0b5c3b;color:#fff;border:0;border-radius:.3rem}
.note{color:#555;font-size:.9rem}a{color:#0b5c3b}</style></head>
<body><p class="note">Test ID · provider di prova</p>${body}</body></html>`;
}

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

let provider;

const configuration = {
  clients: [
    {
      client_id: 'aula',
      client_secret: clientSecret,
      redirect_uris: redirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
  ],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['given_name', 'family_name'],
  },
  // Real providers put the person's claims in the ID token; so does this one.
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  pkce: { required: () => true },
  jwks: { keys: [signingJwk] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  async findAccount(ctx, sub) {
    const person = people.get(sub);
    if (!person) return undefined;
    return {
      accountId: sub,
      async claims() {
        return { sub, ...person.claims };
      },
    };
  },
  async renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = page('Errore', `<h1>Errore</h1><p>${escape(out.error)}: ${escape(out.error_description)}</p>`);
  },
};

/** The sign-in page and its form, and "cancel". */
async function interactions(ctx, next) {
  const match = ctx.path.match(/^\/interaction\/([\w-]+)(\/login|\/abort)?$/);
  if (!match) return next();
  ctx.set('cache-control', 'no-store');
  const [, uid, action] = match;
  if (ctx.method === 'GET' && !action) {
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    ctx.type = 'html';
    ctx.body = page(
      'Accedi a Test ID',
      `<h1>Accedi a Test ID</h1>
<form method="post" action="/interaction/${escape(uid)}/login" autocomplete="off">
<label for="email">Email</label><input id="email" name="email" type="email" required autofocus>
<label for="password">Password</label><input id="password" name="password" type="password" required>
<label for="given_name">Nome</label><input id="given_name" name="given_name">
<label for="family_name">Cognome</label><input id="family_name" name="family_name">
<button type="submit">Accedi</button>
</form>
<p class="note">Richiesto da: ${escape(details.params.client_id)} · <a href="/interaction/${escape(uid)}/abort">Annulla</a></p>`,
    );
    return undefined;
  }
  if (ctx.method === 'POST' && action === '/login') {
    const form = await readForm(ctx.req);
    const email = (form.get('email') ?? '').trim().toLowerCase();
    if (!email || !form.get('password')) {
      ctx.status = 400;
      ctx.body = page('Accedi a Test ID', '<p>Email e password sono obbligatorie.</p>');
      return undefined;
    }
    const sub = subjectOf(email);
    const quirk = email.split('@')[0];
    const claims = {
      email_verified: quirk !== 'unverified',
      given_name: form.get('given_name') || undefined,
      family_name: form.get('family_name') || undefined,
    };
    if (quirk !== 'no-email') claims.email = email;
    people.set(sub, { claims, quirk });
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    const grant = new provider.Grant({ accountId: sub, clientId: details.params.client_id });
    grant.addOIDCScope('openid email profile');
    const grantId = await grant.save();
    await provider.interactionFinished(
      ctx.req,
      ctx.res,
      { login: { accountId: sub }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
    ctx.respond = false;
    return undefined;
  }
  if (ctx.method === 'GET' && action === '/abort') {
    await provider.interactionFinished(
      ctx.req,
      ctx.res,
      { error: 'access_denied', error_description: 'The person cancelled the sign-in' },
      { mergeWithLastSubmission: false },
    );
    ctx.respond = false;
    return undefined;
  }
  return next();
}

/** The misbehaving addresses: their ID token is changed and signed again. */
async function misbehave(ctx, next) {
  await next();
  if (ctx.oidc?.route !== 'token' || ctx.status !== 200 || !ctx.body?.id_token) return;
  const claims = jose.decodeJwt(ctx.body.id_token);
  const quirk = people.get(claims.sub)?.quirk;
  const now = Math.floor(Date.now() / 1000);
  const changes = {
    'wrong-audience': { aud: 'another-app' },
    expired: { iat: now - 7200, exp: now - 3600 },
    'wrong-issuer': { iss: 'http://127.0.0.1:1/another-issuer' },
    forged: {},
  }[quirk];
  if (!changes) return;
  const key = quirk === 'forged' ? stranger.privateKey : signing.privateKey;
  ctx.body.id_token = await new jose.SignJWT({ ...claims, ...changes })
    .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
    .sign(key);
}

const server = http.createServer();
server.listen(port, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  provider = new Provider(issuer, configuration);
  provider.use(misbehave);
  provider.use(interactions);
  server.on('request', provider.callback());
  console.log(JSON.stringify({ issuer }));
  // Standard output carries only that line (whoever started this may stop reading it): the
  // library's notices go to standard error.
  console.log = console.info = console.warn = console.error;
});
process.stdout.on('error', () => {});

process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
if (process.env.OIDC_EXIT_WITH_STDIN === '1') {
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('close', () => process.exit(0));
  process.stdin.resume();
}
