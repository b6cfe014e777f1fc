#!/usr/bin/env node
// Dev-only mock of the mikrobill admin listener: serves ui/dist and implements the /api contract
// (setup, auth with rotating refresh tokens, me, health, openapi.json, and the billing core of
// docs/api-billing.md via mock-billing.mjs) in memory.
// The real browser-test target is the Rust server; this exists to develop the UI without it.
//
//   node tests/e2e/mock-server.mjs            # http://127.0.0.1:7879/
//   MOCK_PORT=0 MOCK_ACCESS_TTL=2 node ...     # random port, access tokens expire after 2 s
//   MOCK_DB_DOWN=1 node ...                    # health reports the database as down
import { randomBytes, randomUUID } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { handleBilling } from './mock-billing.mjs';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const dist = join(root, 'ui', 'dist');
const port = Number(process.env.MOCK_PORT ?? 7879);
const accessTtl = Number(process.env.MOCK_ACCESS_TTL ?? 900);

const users = new Map(); // username -> { id, username, password, role }
const access = new Map(); // token -> { username, expires }
const refresh = new Map(); // token -> username

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

function send(res, status, body) {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json' }).end(text);
}

function fail(res, status, kind, message, field) {
  send(res, status, { error: field ? { kind, message, field } : { kind, message } });
}

function issueTokens(username) {
  const a = randomBytes(24).toString('hex');
  const r = randomBytes(24).toString('hex');
  access.set(a, { username, expires: Date.now() + accessTtl * 1000 });
  refresh.set(r, username);
  return { access_token: a, refresh_token: r, expires_in: accessTtl, token_type: 'Bearer' };
}

function currentUser(req) {
  const header = req.headers.authorization ?? '';
  const token = header.startsWith('Bearer ') ? header.slice(7) : '';
  const entry = access.get(token);
  if (!entry || entry.expires < Date.now()) return null;
  return users.get(entry.username) ?? null;
}

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch {
    return null;
  }
}

async function api(req, res, path, query) {
  const route = `${req.method} ${path}`;
  if (route === 'GET /api/setup/status') return send(res, 200, { needs_owner: users.size === 0 });
  if (route === 'GET /api/openapi.json') {
    return send(res, 200, JSON.parse(readFileSync(join(root, 'ui', 'openapi.json'), 'utf8')));
  }
  if (route === 'POST /api/setup/owner') {
    const body = await readJson(req);
    if (!body) return fail(res, 400, 'validation', 'body is not valid JSON');
    if (users.size > 0) return fail(res, 409, 'conflict', 'an owner account already exists');
    if (typeof body.username !== 'string' || !/^[a-z0-9._-]{3,32}$/.test(body.username)) {
      return fail(res, 422, 'validation', 'username must be 3-32 characters of a-z 0-9 . _ -', 'username');
    }
    if (typeof body.password !== 'string' || [...body.password].length < 10) {
      return fail(res, 422, 'validation', 'password must be at least 10 characters', 'password');
    }
    users.set(body.username, { id: randomUUID(), username: body.username, password: body.password, role: 'owner' });
    return send(res, 201, issueTokens(body.username));
  }
  if (route === 'POST /api/auth/login') {
    const body = (await readJson(req)) ?? {};
    const user = users.get(body.username);
    if (!user || user.password !== body.password) {
      return fail(res, 401, 'unauthorized', 'invalid username or password');
    }
    return send(res, 200, issueTokens(user.username));
  }
  if (route === 'POST /api/auth/refresh') {
    const body = (await readJson(req)) ?? {};
    const username = refresh.get(body.refresh_token);
    if (!username) return fail(res, 401, 'unauthorized', 'invalid refresh token');
    refresh.delete(body.refresh_token); // rotation: the old token is now invalid
    return send(res, 200, issueTokens(username));
  }
  if (route === 'POST /api/auth/logout') {
    const body = (await readJson(req)) ?? {};
    refresh.delete(body.refresh_token);
    return send(res, 204);
  }
  const user = currentUser(req);
  if (route === 'GET /api/auth/me' || route === 'GET /api/monitoring/health') {
    if (!user) return fail(res, 401, 'unauthorized', 'missing or invalid access token');
    if (route === 'GET /api/auth/me') {
      return send(res, 200, { id: user.id, username: user.username, role: user.role });
    }
    const down = process.env.MOCK_DB_DOWN === '1';
    const params = down ? { reason: 'connection refused' } : { version: '16.4', ms: '1' };
    return send(res, 200, {
      status: down ? 'down' : 'warning',
      app_version: '0.1.0',
      checked_at: new Date().toISOString(),
      database: {
        status: down ? 'down' : 'ok',
        code: down ? 'database_down' : 'database_ok',
        params,
        detail: down ? 'the database does not answer: connection refused' : 'PostgreSQL 16.4 answers in 1 ms',
        server_version: down ? null : 'PostgreSQL 16.4 (mock)',
        latency_ms: down ? null : 1,
        mode: 'local',
        name: down ? null : 'mikrobill',
      },
      routers: [],
      whatsapp: [],
      gateways: [],
      jobs: [{ kind: 'backup', id: null, name: 'backup', status: 'warning', code: 'backup_none', params: {},
        detail: 'no backup yet: make one on the Backups page', checked_at: null }],
      disk: [],
    });
  }
  if (await handleBilling({ req, res, path, query, user, send, fail, readJson })) return;
  return fail(res, 404, 'not_found', `no route for ${route}`);
}

function serveStatic(req, res, path) {
  const file = normalize(join(dist, decodeURIComponent(path)));
  const inside = file.startsWith(dist);
  const target =
    inside && existsSync(file) && statSync(file).isFile() ? file : join(dist, 'index.html');
  if (!existsSync(target)) {
    res.writeHead(500, { 'content-type': 'text/plain' }).end('ui/dist missing: run npm run build in ui/');
    return;
  }
  res.writeHead(200, { 'content-type': types[extname(target)] ?? 'application/octet-stream' });
  createReadStream(target).pipe(res);
}

const server = createServer((req, res) => {
  const { pathname: path, searchParams } = new URL(req.url ?? '/', 'http://localhost');
  if (path.startsWith('/api/')) {
    api(req, res, path, searchParams).catch((err) => fail(res, 500, 'internal', String(err)));
  } else {
    serveStatic(req, res, path);
  }
});

server.listen(port, '127.0.0.1', () => {
  const { port: bound } = server.address();
  console.log(`mock mikrobill listening on http://127.0.0.1:${bound}/`);
});

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
