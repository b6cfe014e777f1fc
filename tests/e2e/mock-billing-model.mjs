// In-memory billing model for the dev mock (see mock-billing.mjs for the HTTP routes):
// customers, plans, subscriptions, invoices with allocations, payments and the wallet ledger,
// following docs/api-billing.md (exact → paid, less → partial, more → paid + credit).
import { randomUUID } from 'node:crypto';

export const db = {
  customers: new Map(),
  plans: new Map(),
  subs: new Map(),
  invoices: new Map(),
  payments: new Map(),
  ledger: [],
  business: { name: '', address: '', phone: '', email: null, logo_data_url: null, bank_accounts: [], tax_rate_bp: 0 },
  invoiceSeq: 0,
};

// ---- dates (YYYY-MM-DD, business zone = the mock's local zone) ----
const pad = (n) => String(n).padStart(2, '0');
export const iso = (d) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
export const parseDate = (s) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s ?? '');
  if (!m) return null;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return iso(d) === s ? d : null;
};
export const today = () => {
  const n = new Date();
  return `${n.getFullYear()}-${pad(n.getMonth() + 1)}-${pad(n.getDate())}`;
};
export const addDays = (s, days) => {
  const d = parseDate(s);
  d.setUTCDate(d.getUTCDate() + days);
  return iso(d);
};
/** The billing date (day `bd`, capped at month length) in month `y`/`m` (0-based). */
const billingDate = (y, m, bd) => {
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return iso(new Date(Date.UTC(y, m, Math.min(bd, last))));
};
/** The first billing date strictly after `s`. */
export function nextBillingDate(s, bd) {
  const d = parseDate(s);
  let y = d.getUTCFullYear();
  let m = d.getUTCMonth();
  for (;;) {
    const candidate = billingDate(y, m, bd);
    if (candidate > s) return candidate;
    m += 1;
    if (m === 12) { m = 0; y += 1; }
  }
}
/** The last billing date on or before `s`. */
function prevBillingDate(s, bd) {
  const next = nextBillingDate(s, bd);
  const d = parseDate(next);
  const prev = billingDate(d.getUTCFullYear(), d.getUTCMonth() - 1, bd);
  return prev <= s ? prev : billingDate(d.getUTCFullYear(), d.getUTCMonth() - 2, bd);
}
const daysBetween = (a, b) => Math.round((parseDate(b) - parseDate(a)) / 86_400_000);

// ---- phone ----
/** "0812-3456-7890" → "6281234567890"; null when it is not an Indonesian mobile number. */
export function normalisePhone(raw) {
  if (typeof raw !== 'string') return null;
  let s = raw.replace(/[\s\-().]/g, '');
  if (s.startsWith('+')) s = s.slice(1);
  if (!/^\d+$/.test(s)) return null;
  if (s.startsWith('0')) s = `62${s.slice(1)}`;
  else if (s.startsWith('8')) s = `62${s}`;
  return /^628\d{7,12}$/.test(s) ? s : null;
}

// ---- wallets and ledger ----
export function walletBalance(customerId, subscriptionId) {
  const entries = db.ledger.filter((e) =>
    subscriptionId ? e.subscription_id === subscriptionId : e.customer_id === customerId && e.account === 'customer',
  );
  return entries.length ? entries[entries.length - 1].balance_after : 0;
}
export function post(customerId, subscriptionId, delta, reason, extra = {}) {
  const entry = {
    id: randomUUID(),
    customer_id: customerId,
    account: subscriptionId ? 'subscription' : 'customer',
    subscription_id: subscriptionId ?? null,
    delta,
    balance_after: walletBalance(customerId, subscriptionId) + delta,
    reason,
    memo: extra.memo ?? '',
    payment_id: extra.payment_id ?? null,
    invoice_id: extra.invoice_id ?? null,
    created_by: extra.created_by ?? null,
    created_at: new Date().toISOString(),
  };
  db.ledger.push(entry);
  return entry;
}
export const totalCredit = (customerId) =>
  walletBalance(customerId) +
  [...db.subs.values()].filter((s) => s.customer_id === customerId).reduce((n, s) => n + walletBalance(customerId, s.id), 0);

// ---- views ----
export const customerView = (c) => ({ ...c, balance: walletBalance(c.id), total_credit: totalCredit(c.id) });
export function subView(s) {
  const c = db.customers.get(s.customer_id);
  const p = db.plans.get(s.plan_id);
  const { password: _password, ...rest } = s;
  return { ...rest, customer_name: c.name, plan_name: p.name, price: p.price, kind: p.kind, balance: walletBalance(c.id, s.id) };
}
export const planView = (p) => ({
  ...p,
  subscription_count: [...db.subs.values()].filter((s) => s.plan_id === p.id).length,
});
export function invoiceView(inv) {
  const total = inv.lines.reduce((n, l) => n + l.amount, 0);
  const paid = inv.allocations.reduce((n, a) => n + a.amount, 0);
  const closed = inv.status === 'void' || inv.status === 'carried_over';
  const c = db.customers.get(inv.customer_id);
  const s = db.subs.get(inv.subscription_id);
  return { ...inv, customer_name: c.name, login: s.login, total, paid, owed: closed ? 0 : Math.max(0, total - paid) };
}
export function summaryView(inv) {
  const { lines: _l, allocations: _a, carried_into: _i, carried_from: _f, void_reason: _v, ...summary } = invoiceView(inv);
  return summary;
}
export const openInvoices = (subId) =>
  [...db.invoices.values()].filter((i) => i.subscription_id === subId && (i.status === 'unpaid' || i.status === 'partial'));

// ---- invoices ----
/** The period the first invoice covers (pro-rated from start_on) and its fee. */
export function firstPeriod(sub, price) {
  const end = addDays(nextBillingDate(sub.start_on, sub.billing_day), -1);
  const fullStart = prevBillingDate(sub.start_on, sub.billing_day);
  const fullDays = daysBetween(fullStart, addDays(nextBillingDate(fullStart, sub.billing_day), 0));
  const days = daysBetween(sub.start_on, end) + 1;
  const prorated = days < fullDays;
  return { start: sub.start_on, end, amount: prorated ? Math.round((price * days) / fullDays) : price, prorated };
}
/** The period right after the latest non-void invoice of a subscription. */
export function nextPeriod(sub) {
  const issued = [...db.invoices.values()].filter((i) => i.subscription_id === sub.id && i.status !== 'void');
  const last = issued.sort((a, b) => a.period_start.localeCompare(b.period_start)).at(-1);
  if (!last) return null;
  const start = addDays(last.period_end, 1);
  return { start, end: addDays(nextBillingDate(start, sub.billing_day), -1), latest: last };
}

export function issueInvoice(sub, period, createdBy) {
  const plan = db.plans.get(sub.plan_id);
  const lines = [
    {
      kind: period.prorated ? 'prorated_fee' : 'plan_fee',
      description: `${plan.name} ${period.start} – ${period.end}`,
      amount: period.amount ?? plan.price,
    },
  ];
  if (db.business.tax_rate_bp > 0) {
    lines.push({ kind: 'tax', description: `Pajak ${db.business.tax_rate_bp / 100} %`, amount: Math.round((lines[0].amount * db.business.tax_rate_bp) / 10000) });
  }
  db.invoiceSeq += 1;
  const id = randomUUID();
  const inv = {
    id,
    number: `INV-${period.start.slice(0, 7).replace('-', '')}-${String(db.invoiceSeq).padStart(4, '0')}`,
    customer_id: sub.customer_id,
    subscription_id: sub.id,
    period_start: period.start,
    period_end: period.end,
    issued_on: today(),
    due_on: addDays(period.start, sub.due_days),
    status: 'unpaid',
    lines,
    allocations: [],
    carried_into: null,
    carried_from: [],
    void_reason: null,
  };
  for (const old of openInvoices(sub.id)) {
    const owed = invoiceView(old).owed;
    lines.push({ kind: 'arrears', description: `Tunggakan ${old.number}`, amount: owed });
    inv.carried_from.push({ invoice_id: old.id, number: old.number, amount: owed });
    old.status = 'carried_over';
    old.carried_into = { invoice_id: id, number: inv.number };
  }
  db.invoices.set(id, inv);
  const credit = walletBalance(sub.customer_id, sub.id);
  const owed = invoiceView(inv).owed;
  if (credit > 0 && owed > 0) {
    const used = Math.min(credit, owed);
    inv.allocations.push({ source: 'credit', payment_id: null, amount: used, at: new Date().toISOString() });
    post(sub.customer_id, sub.id, -used, 'credit_applied', { invoice_id: id, memo: inv.number, created_by: createdBy });
    inv.status = used === owed ? 'paid' : 'partial';
  }
  return inv;
}

/** Applies a manual payment: exact → paid, less → partial, more → paid + credit on the wallet. */
export function applyPayment(inv, amount, method, reference, note, username) {
  const owed = invoiceView(inv).owed;
  const applied = Math.min(amount, owed);
  const payment = {
    id: randomUUID(),
    customer_id: inv.customer_id,
    invoice_id: inv.id,
    invoice_number: inv.number,
    method,
    reference: reference || null,
    amount,
    status: 'paid',
    paid_at: new Date().toISOString(),
    recorded_by: username,
    note: note || null,
    created_at: new Date().toISOString(),
  };
  db.payments.set(payment.id, payment);
  const extra = { payment_id: payment.id, invoice_id: inv.id, memo: inv.number, created_by: username };
  post(inv.customer_id, inv.subscription_id, amount, 'payment_received', extra);
  post(inv.customer_id, inv.subscription_id, -applied, 'invoice_payment', extra);
  inv.allocations.push({ source: 'payment', payment_id: payment.id, amount: applied, at: payment.paid_at });
  inv.status = applied === owed ? 'paid' : 'partial';
  const sub = db.subs.get(inv.subscription_id);
  if (sub.status === 'isolated' && openInvoices(sub.id).length === 0) sub.status = 'active';
  return { payment, applied, credit: amount - applied, invoice_status: inv.status };
}

export function isolationCandidates() {
  const now = today();
  const out = [];
  for (const sub of db.subs.values()) {
    if (sub.status !== 'active') continue;
    const overdue = openInvoices(sub.id)
      .map((i) => ({ inv: i, after: addDays(i.due_on, sub.grace_days) }))
      .filter((x) => x.after < now)
      .sort((a, b) => a.inv.due_on.localeCompare(b.inv.due_on))[0];
    if (!overdue) continue;
    const v = invoiceView(overdue.inv);
    out.push({
      subscription_id: sub.id,
      customer_name: v.customer_name,
      login: sub.login,
      invoice_number: v.number,
      owed: v.owed,
      due_on: v.due_on,
      isolate_after: overdue.after,
    });
  }
  return out;
}
