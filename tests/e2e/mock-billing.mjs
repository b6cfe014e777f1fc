// HTTP routes of the billing-core contract (docs/api-billing.md) for the dev mock server.
// `handleBilling` returns false when the route is not a billing route.
import { randomUUID } from 'node:crypto';
import {
  applyPayment, db, customerView, firstPeriod, invoiceView, isolationCandidates, issueInvoice, nextPeriod,
  normalisePhone, parseDate, planView, post, subView, summaryView, today, walletBalance,
} from './mock-billing-model.mjs';

const isInt = (v) => Number.isSafeInteger(v);
const str = (v) => (typeof v === 'string' ? v.trim() : '');

function page(items, query) {
  const limit = Math.min(200, Math.max(1, Number(query.get('limit') ?? 50) || 50));
  const offset = Math.max(0, Number(query.get('offset') ?? 0) || 0);
  return { items: items.slice(offset, offset + limit), total: items.length };
}
const newestFirst = (a, b) => (b.created_at ?? '').localeCompare(a.created_at ?? '');

function pdf(text) {
  const body = `BT /F1 14 Tf 50 780 Td (${text.replace(/[()\\]/g, '')}) Tj ET`;
  return Buffer.from(
    `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n` +
      `3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>endobj\n` +
      `4 0 obj<</Length ${body.length}>>stream\n${body}\nendstream endobj\n` +
      `5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n`,
  );
}

export async function handleBilling({ req, res, path, query, user, send, fail, readJson }) {
  const seg = path.split('/').slice(2); // ['customers', id, 'balance']
  const m = req.method;
  const area = seg[0];
  if (!['customers', 'plans', 'subscriptions', 'invoices', 'billing', 'payments', 'isolation', 'settings'].includes(area)) {
    return false;
  }
  if (!user) return fail(res, 401, 'unauthorized', 'missing or invalid access token'), true;
  const body = m === 'POST' || m === 'PATCH' || m === 'PUT' ? await readJson(req) : {};
  if (body === null) return fail(res, 400, 'validation', 'body is not valid JSON'), true;
  const notFound = () => (fail(res, 404, 'not_found', 'not found'), true);
  const invalid = (field, message) => (fail(res, 422, 'validation', message, field), true);
  const ok = (status, value) => (send(res, status, value), true);
  const id = seg[1];

  // ---- customers ----
  if (area === 'customers') {
    if (!id && m === 'GET') {
      const q = str(query.get('q')).toLowerCase();
      const status = query.get('status');
      const items = [...db.customers.values()]
        .filter((c) => !status || c.status === status)
        .filter((c) => !q || c.name.toLowerCase().includes(q) || c.phone.includes(q.replace(/\D/g, '') || '\u0000') ||
          [...db.subs.values()].some((s) => s.customer_id === c.id && s.login.toLowerCase().includes(q)))
        .sort(newestFirst)
        .map(customerView);
      return ok(200, page(items, query));
    }
    if (!id && m === 'POST') {
      if (!str(body.name)) return invalid('name', 'name is required');
      const phone = normalisePhone(body.phone);
      if (!phone) return invalid('phone', 'phone is not a valid Indonesian mobile number');
      const c = { id: randomUUID(), name: str(body.name), phone, address: str(body.address), notes: str(body.notes),
        status: 'active', created_at: new Date().toISOString() };
      db.customers.set(c.id, c);
      return ok(201, customerView(c));
    }
    const c = db.customers.get(id);
    if (!c) return notFound();
    if (seg[2] === 'balance') {
      if (m === 'GET') {
        const subs = [...db.subs.values()].filter((s) => s.customer_id === c.id);
        const entries = db.ledger.filter((e) => e.customer_id === c.id).slice().reverse().slice(0, 200)
          .map(({ customer_id: _c, ...e }) => e);
        return ok(200, {
          customer_balance: walletBalance(c.id),
          subscription_balances: subs.map((s) => ({ subscription_id: s.id, login: s.login, balance: walletBalance(c.id, s.id) })),
          total_credit: customerView(c).total_credit,
          entries,
        });
      }
      if (m === 'POST') {
        if (body.kind !== 'adjustment' && body.kind !== 'refund') return invalid('kind', 'kind must be adjustment or refund');
        const subId = body.subscription_id || null;
        if (subId && db.subs.get(subId)?.customer_id !== c.id) return invalid('subscription_id', 'not a subscription of this customer');
        if (!isInt(body.amount) || body.amount === 0) return invalid('amount', 'amount must be a non-zero integer');
        const balance = walletBalance(c.id, subId);
        if (body.kind === 'refund' && (body.amount < 0 || body.amount > balance)) {
          return invalid('amount', 'refund must be positive and at most the balance');
        }
        if (!str(body.reason)) return invalid('reason', 'reason is required');
        const delta = body.kind === 'refund' ? -body.amount : body.amount;
        const entry = post(c.id, subId, delta, body.kind, { memo: str(body.reason), created_by: user.username });
        const { customer_id: _c, ...view } = entry;
        return ok(201, { entry: view, balance: entry.balance_after });
      }
    }
    if (!seg[2] && m === 'GET') {
      const subs = [...db.subs.values()].filter((s) => s.customer_id === c.id).map(subView);
      return ok(200, { ...customerView(c), subscriptions: subs });
    }
    if (!seg[2] && m === 'PATCH') {
      if (body.name !== undefined && body.name !== null && !str(body.name)) return invalid('name', 'name is required');
      let phone = c.phone;
      if (body.phone != null) {
        phone = normalisePhone(body.phone);
        if (!phone) return invalid('phone', 'phone is not a valid Indonesian mobile number');
      }
      if (body.status != null && !['active', 'inactive'].includes(body.status)) return invalid('status', 'bad status');
      Object.assign(c, {
        name: body.name != null ? str(body.name) : c.name,
        phone,
        address: body.address != null ? str(body.address) : c.address,
        notes: body.notes != null ? str(body.notes) : c.notes,
        status: body.status ?? c.status,
      });
      return ok(200, customerView(c));
    }
    return notFound();
  }

  // ---- plans ----
  if (area === 'plans') {
    const check = (p, partial) => {
      if ((!partial || p.name != null) && !str(p.name)) return invalid('name', 'name is required');
      if ((!partial || p.price != null) && (!isInt(p.price) || p.price <= 0)) return invalid('price', 'price must be a positive integer');
      if ((!partial || p.kind != null) && !['pppoe', 'hotspot'].includes(p.kind)) return invalid('kind', 'kind must be pppoe or hotspot');
      if ((!partial || p.router_profile != null) && !str(p.router_profile)) return invalid('router_profile', 'router_profile is required');
      const clash = p.name != null && [...db.plans.values()].find((x) => x.name === str(p.name) && x.id !== id);
      if (clash) return fail(res, 409, 'conflict', 'a plan with this name exists', 'name'), true;
      return false;
    };
    if (!id && m === 'GET') return ok(200, { items: [...db.plans.values()].map(planView), total: db.plans.size });
    if (!id && m === 'POST') {
      if (check(body, false)) return true;
      const p = { id: randomUUID(), name: str(body.name), price: body.price, kind: body.kind,
        router_profile: str(body.router_profile), speed_label: str(body.speed_label), active: body.active ?? true };
      db.plans.set(p.id, p);
      return ok(201, planView(p));
    }
    const p = db.plans.get(id);
    if (!p) return notFound();
    if (m === 'PATCH') {
      if (check(body, true)) return true;
      for (const k of ['price', 'kind', 'active']) if (body[k] != null) p[k] = body[k];
      for (const k of ['name', 'router_profile', 'speed_label']) if (body[k] != null) p[k] = str(body[k]);
      return ok(200, planView(p));
    }
    if (m === 'DELETE') {
      if (planView(p).subscription_count > 0) return fail(res, 409, 'conflict', 'plan is in use; deactivate it instead'), true;
      db.plans.delete(id);
      return ok(204);
    }
    return notFound();
  }
  return routeRest({ req, res, m, seg, id, area, body, query, user, ok, invalid, notFound, fail });
}

function routeRest({ res, m, seg, id, area, body, query, user, ok, invalid, notFound, fail }) {
  const conflict = (message, field) => (fail(res, 409, 'conflict', message, field), true);
  if (area === 'subscriptions') {
    if (!id && m === 'GET') {
      const q = str(query.get('q')).toLowerCase();
      const items = [...db.subs.values()]
        .filter((s) => !query.get('customer_id') || s.customer_id === query.get('customer_id'))
        .filter((s) => !query.get('status') || s.status === query.get('status'))
        .map(subView)
        .filter((s) => !q || s.login.toLowerCase().includes(q) || s.customer_name.toLowerCase().includes(q))
        .sort((a, b) => b.created_at.localeCompare(a.created_at));
      return ok(200, page(items, query));
    }
    if (!id && m === 'POST') {
      if (!db.customers.has(body.customer_id)) return invalid('customer_id', 'unknown customer');
      const plan = db.plans.get(body.plan_id);
      if (!plan || !plan.active) return invalid('plan_id', 'unknown or inactive plan');
      if (!str(body.login)) return invalid('login', 'login is required');
      if (!str(body.password)) return invalid('password', 'password is required');
      if (!parseDate(body.start_on)) return invalid('start_on', 'start_on must be YYYY-MM-DD');
      const bd = body.billing_day ?? Math.min(28, Number(body.start_on.slice(8)));
      if (!isInt(bd) || bd < 1 || bd > 28) return invalid('billing_day', 'billing_day must be 1-28');
      for (const k of ['due_days', 'grace_days']) {
        if (body[k] != null && (!isInt(body[k]) || body[k] < 0 || body[k] > 60)) return invalid(k, `${k} must be 0-60`);
      }
      if ([...db.subs.values()].some((s) => s.login === str(body.login))) return conflict('login already in use', 'login');
      const sub = { id: randomUUID(), customer_id: body.customer_id, plan_id: plan.id, login: str(body.login), password: body.password,
        start_on: body.start_on, billing_day: bd, due_days: body.due_days ?? 7, grace_days: body.grace_days ?? 3,
        status: 'active', created_at: new Date().toISOString() };
      db.subs.set(sub.id, sub);
      issueInvoice(sub, firstPeriod(sub, plan.price), user.username);
      return ok(201, subView(sub));
    }
    const sub = db.subs.get(id);
    if (!sub) return notFound();
    if (!seg[2] && m === 'GET') return ok(200, subView(sub));
    if (seg[2] === 'renew' && m === 'POST') {
      if (sub.status === 'terminated') return conflict('subscription is terminated');
      const next = nextPeriod(sub);
      if (next.latest.period_start > today()) return ok(200, invoiceView(next.latest));
      return ok(200, invoiceView(issueInvoice(sub, next, user.username)));
    }
    return notFound();
  }
  if (area === 'billing' && seg[1] === 'run' && m === 'POST') {
    const issued = [];
    for (const sub of db.subs.values()) {
      if (sub.status === 'terminated') continue;
      for (let next = nextPeriod(sub); next && next.start <= today(); next = body.dry_run ? null : nextPeriod(sub)) {
        if (body.dry_run) {
          const plan = db.plans.get(sub.plan_id);
          const c = db.customers.get(sub.customer_id);
          issued.push({ id: randomUUID(), number: '(baru)', customer_id: c.id, customer_name: c.name, subscription_id: sub.id,
            login: sub.login, period_start: next.start, period_end: next.end, issued_on: today(), due_on: next.start,
            status: 'unpaid', total: plan.price, paid: 0, owed: plan.price });
        } else issued.push(summaryView(issueInvoice(sub, next, user.username)));
      }
    }
    return ok(200, { issued: issued.length, invoices: issued });
  }
  if (area === 'invoices') {
    if (!id && m === 'GET') {
      const items = [...db.invoices.values()]
        .filter((i) => ['status', 'customer_id', 'subscription_id'].every((k) => !query.get(k) || i[k] === query.get(k)))
        .sort((a, b) => b.period_start.localeCompare(a.period_start) || b.number.localeCompare(a.number))
        .map(summaryView);
      return ok(200, page(items, query));
    }
    const inv = db.invoices.get(id);
    if (!inv) return notFound();
    if (!seg[2] && m === 'GET') return ok(200, invoiceView(inv));
    if (seg[2] === 'void' && m === 'POST') {
      if (!str(body.reason)) return invalid('reason', 'reason is required');
      if (inv.status === 'void' || inv.status === 'carried_over') return conflict(`invoice is ${inv.status}`);
      const paid = invoiceView(inv).paid;
      inv.status = 'void';
      inv.void_reason = str(body.reason);
      if (paid > 0) post(inv.customer_id, inv.subscription_id, paid, 'void_reversal', { invoice_id: inv.id, memo: inv.number, created_by: user.username });
      return ok(200, invoiceView(inv));
    }
    if (seg[2] === 'receipt' && m === 'GET') {
      const v = invoiceView(inv);
      const text = `${db.business.name || 'mikrobill'} - ${v.number} - ${v.customer_name} - total ${v.total} - dibayar ${v.paid}`;
      if (query.get('format') === 'html') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
          .end(`<!doctype html><html lang="id"><meta charset="utf-8"><title>${v.number}</title><body><h1>Kuitansi ${v.number}</h1><p>${text}</p></body></html>`);
      } else {
        res.writeHead(200, { 'content-type': 'application/pdf', 'content-disposition': `inline; filename="${v.number}.pdf"` }).end(pdf(text));
      }
      return true;
    }
    return notFound();
  }
  if (area === 'payments') {
    if (!id && m === 'GET') {
      const items = [...db.payments.values()]
        .filter((p) => ['status', 'customer_id', 'invoice_id'].every((k) => !query.get(k) || p[k] === query.get(k)))
        .sort(newestFirst)
        .map((p) => ({ ...p, customer_name: db.customers.get(p.customer_id).name }));
      return ok(200, page(items, query));
    }
    if (!id && m === 'POST') {
      const inv = db.invoices.get(body.invoice_id);
      if (!inv) return fail(res, 404, 'not_found', 'invoice not found', 'invoice_id'), true;
      if (!isInt(body.amount) || body.amount <= 0) return invalid('amount', 'amount must be a positive integer');
      if (!['cash', 'transfer'].includes(body.method)) return invalid('method', 'method must be cash or transfer');
      if (!['unpaid', 'partial'].includes(inv.status)) return conflict(`invoice is ${inv.status}`);
      const r = applyPayment(inv, body.amount, body.method, str(body.reference), str(body.note), user.username);
      return ok(201, { ...r, payment: { ...r.payment, customer_name: db.customers.get(r.payment.customer_id).name } });
    }
    const p = db.payments.get(id);
    if (!p || m !== 'GET') return notFound();
    return ok(200, { ...p, customer_name: db.customers.get(p.customer_id).name });
  }
  if (area === 'isolation') {
    if (seg[1] === 'preview' && m === 'GET') return ok(200, { items: isolationCandidates() });
    if (seg[1] === 'run' && m === 'POST') {
      const isolated = isolationCandidates();
      for (const c of isolated) db.subs.get(c.subscription_id).status = 'isolated';
      return ok(200, { isolated, failed: [] });
    }
    return notFound();
  }
  if (area === 'settings' && seg[1] === 'business') {
    if (m === 'GET') return ok(200, db.business);
    if (m === 'PUT') {
      if (!str(body.name)) return invalid('name', 'name is required');
      if (!isInt(body.tax_rate_bp) || body.tax_rate_bp < 0 || body.tax_rate_bp > 10000) return invalid('tax_rate_bp', 'tax_rate_bp must be 0-10000');
      if (body.logo_data_url && (!/^data:image\//.test(body.logo_data_url) || body.logo_data_url.length > 280_000)) {
        return invalid('logo_data_url', 'logo must be an image data URL of at most 200 KB');
      }
      if (!Array.isArray(body.bank_accounts) || body.bank_accounts.some((b) => !str(b?.bank) || !str(b?.number) || !str(b?.holder))) {
        return invalid('bank_accounts', 'every bank account needs bank, number and holder');
      }
      db.business = { name: str(body.name), address: str(body.address), phone: str(body.phone), email: str(body.email) || null,
        logo_data_url: body.logo_data_url || null, bank_accounts: body.bank_accounts, tax_rate_bp: body.tax_rate_bp };
      return ok(200, db.business);
    }
  }
  return notFound();
}
