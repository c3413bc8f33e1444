// A local OpenID Connect provider for the demo and the tests: node-oidc-provider (an
// OpenID Certified implementation) with one client, the portal, and the people listed in a
// JSON file. The file is read at every login, so a role given or taken away there shows in
// the next token, as it would when the hospital's IT changes a person's app roles.
//
//   node demo/oidc_provider/server.mjs CONFIG.json
//
// CONFIG: {issuer, port, host, client_id, client_secret, redirect_uris, post_logout_redirect_uris,
//          people_file, password, tenant_id, cookie_key}
// people_file: [{sub, email, name, locale, roles: [...], organisation}, ...] (organisation: the address name)
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import Provider from 'oidc-provider';

// The package's start-up advice (its in-memory store) is for production set-ups; in the demo it
// would only drown the portal's own output. Version 8 of the package supports the Node.js that
// Debian ships (18 and later); version 9 warns on anything older than Node.js 22.
const quietly = (write) => (...args) => { if (!String(args[0]).includes('oidc-provider ')) write(...args); };
console.warn = quietly(console.warn);
console.info = quietly(console.info);

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const people = () => JSON.parse(readFileSync(config.people_file, 'utf8'));
const byEmail = (email) => people().find((p) => p.email.toLowerCase() === String(email || '').trim().toLowerCase());

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: `demo-${Date.now()}`, use: 'sig', alg: 'RS256' };

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (title, body) => `<!doctype html><html lang="nn"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)}</title>
<style>body{font:17px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:28rem;padding:0 1rem}
input,button{font:inherit;padding:.5rem;width:100%;box-sizing:border-box}button{width:auto;margin-right:.5rem}</style></head>
<body><main><h1>${escape(title)}</h1>${body}</main></body></html>`;

const provider = new Provider(config.issuer, {
  clients: [{
    client_id: config.client_id,
    client_secret: config.client_secret,
    redirect_uris: config.redirect_uris,
    post_logout_redirect_uris: config.post_logout_redirect_uris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
  }],
  jwks: { keys: [signingKey] },
  ttl: {
    AuthorizationCode: 60, Interaction: 3600, Session: 8 * 3600, Grant: 8 * 3600, AccessToken: 3600, IdToken: 3600,
  },
  cookies: { keys: [config.cookie_key] },
  // As strict as it gets: PKCE (S256) for every client, including confidential ones.
  pkce: { required: () => true },
  // Like Entra ID: the person's claims, roles among them, travel in the ID token itself.
  conformIdTokenClaims: false,
  claims: {
    openid: ['sub', 'roles', 'tid', 'organisation'],
    email: ['email', 'email_verified'],
    profile: ['name', 'locale'],
  },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource: async (ctx, form) => {
        ctx.body = page('Logg ut av Helse Vest-kontoen (demo)', `${form}
<p>Vil du logge ut av Helse Vest-kontoen òg?</p>
<p><button type="submit" form="op.logoutForm" name="logout" value="yes">Logg ut</button>
<button type="submit" form="op.logoutForm">Nei, ver innlogga</button></p>`);
      },
    },
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, sub) {
    const person = people().find((p) => p.sub === sub);
    if (!person) return undefined;
    return {
      accountId: sub,
      async claims() {
        return {
          sub,
          email: person.email,
          email_verified: true,
          name: person.name,
          locale: person.locale || 'nb',
          roles: person.roles || [],
          ...(person.organisation ? { organisation: person.organisation } : {}),
          ...(config.tenant_id ? { tid: config.tenant_id } : {}),
        };
      },
    };
  },
  // The portal is the hospital's own application: no consent screen, as in Entra ID when an
  // administrator has consented for the organisation.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
});

function loginForm(uid, error = '', email = '') {
  return page('Logg inn med Helse Vest-kontoen (demo)', `
${error ? `<p role="alert"><strong>${escape(error)}</strong></p>` : ''}
<form method="post" action="/interaction/${escape(uid)}">
  <p><label for="email">E-post</label><br><input id="email" name="email" type="email" autocomplete="username" value="${escape(email)}" autofocus></p>
  <p><label for="password">Passord</label><br><input id="password" name="password" type="password" autocomplete="current-password"></p>
  <p><button type="submit">Logg inn</button></p>
</form>
<p>Demo: same e-post som i portalen, passord «${escape(config.password)}».</p>`);
}

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

async function interaction(req, res, uid) {
  const details = await provider.interactionDetails(req, res);
  if (details.prompt.name !== 'login') {
    await provider.interactionFinished(req, res, {}, { mergeWithLastSubmission: true });
    return;
  }
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  if (req.method !== 'POST') {
    res.end(loginForm(uid));
    return;
  }
  const form = await readForm(req);
  const person = byEmail(form.get('email'));
  if (!person || form.get('password') !== config.password) {
    res.statusCode = 400;
    res.end(loginForm(uid, 'Feil e-post eller passord.', form.get('email') || ''));
    return;
  }
  await provider.interactionFinished(req, res, { login: { accountId: person.sub } }, { mergeWithLastSubmission: false });
}

const callback = provider.callback();
const server = http.createServer((req, res) => {
  const match = new URL(req.url, config.issuer).pathname.match(/^\/interaction\/([\w-]+)$/);
  if (!match) {
    callback(req, res);
    return;
  }
  interaction(req, res, match[1]).catch((error) => {
    res.statusCode = 400;
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.end(`Innlogginga kan ikkje halde fram: ${error.message}`);
  });
});
server.listen(config.port, config.host || '127.0.0.1', () => {
  console.log(`OpenID Connect provider (demo) on ${config.issuer}`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
