/**
 * `utskick` — the README's first steps from the command line, against a running cluster.
 *
 *   npm run utskick -- tenant create "Demo AB"                 → prints the API key (once)
 *   npm run utskick -- credits add <tenantId> 100000           → platform admin: top up the SMS balance (minor units)
 *   npm run utskick -- sender add alphanumeric Skolan          → register a sender (alphanumeric | reply_number | short_code [--keyword K])
 *   npm run utskick -- contacts import contacts.json           → {"contacts":[...]} or a JSON array, 10,000 per call
 *   npm run utskick -- send sms --from Skolan --text "Hej!"    → creates, executes and follows a campaign to all contacts
 *   npm run utskick -- send email --subject "Hej" --text "…"
 *   npm run utskick -- campaign show <id>
 *   npm run utskick -- campaign estimate <id>
 *
 * UTSKICK_API (default http://127.0.0.1:3000), UTSKICK_API_KEY, ADMIN_TOKEN (else .utskick/admin-token).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const USAGE = `usage:
  utskick tenant create <name>
  utskick credits add <tenantId> <amount>
  utskick credits show
  utskick sender add <alphanumeric|reply_number|short_code> <value> [--keyword <keyword>]
  utskick contacts import <file.json>
  utskick send sms --from <sender> --text <text> [--name <name>]
  utskick send email --subject <subject> --text <text> [--name <name>]
  utskick campaign show <id>
  utskick campaign estimate <id>
env: UTSKICK_API (default http://127.0.0.1:3000), UTSKICK_API_KEY, ADMIN_TOKEN (else .utskick/admin-token)`;

const api = (process.env.UTSKICK_API ?? 'http://127.0.0.1:3000').replace(/\/$/, '');

function fail(message: string): never {
  console.error(`utskick: ${message}`);
  process.exit(2);
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

async function call(method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}): Promise<any> {
  const res = await fetch(api + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const parsed = text ? JSON.parse(text) : null;
  if (!res.ok) {
    const errors = parsed?.errors?.map((e: { field: string; reason: string }) => `${e.field}: ${e.reason}`).join('; ');
    fail(`${method} ${path} → ${res.status} ${parsed?.detail ?? text}${errors ? ` (${errors})` : ''}`);
  }
  return parsed;
}

function adminToken(): string {
  if (process.env.ADMIN_TOKEN) return process.env.ADMIN_TOKEN;
  const file = join(process.cwd(), '.utskick', 'admin-token');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  return fail('set ADMIN_TOKEN (npm start writes it to .utskick/admin-token)');
}

function apiKey(): string {
  return process.env.UTSKICK_API_KEY ?? fail('set UTSKICK_API_KEY to the key `utskick tenant create` printed');
}

async function follow(id: string, key: string): Promise<void> {
  for (;;) {
    const c = await call('GET', `/v1/campaigns/${id}`, key);
    if (c.status === 'completed' && !c.counts.sent) {
      console.log(JSON.stringify({ id, status: c.status, counts: c.counts, total: c.total }));
      return;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function main(argv: string[]): Promise<void> {
  const [group, verb, ...rest] = argv;
  if (group === 'tenant' && verb === 'create' && rest[0]) {
    const t = await call('POST', '/v1/admin/tenants', adminToken(), { name: rest[0] });
    console.log(JSON.stringify(t));
  } else if (group === 'credits' && verb === 'add' && rest[0] && rest[1]) {
    const amount = Number(rest[1]);
    if (!Number.isInteger(amount) || amount <= 0) fail('the amount is a positive whole number of minor units (öre)');
    console.log(JSON.stringify(await call('POST', `/v1/admin/tenants/${rest[0]}/credits`, adminToken(), { amount })));
  } else if (group === 'credits' && verb === 'show') {
    console.log(JSON.stringify(await call('GET', '/v1/credits', apiKey())));
  } else if (group === 'sender' && verb === 'add' && rest[0] && rest[1]) {
    const keyword = option(rest, 'keyword');
    console.log(JSON.stringify(await call('POST', '/v1/senders', apiKey(), { kind: rest[0], value: rest[1], ...(keyword ? { keyword } : {}) })));
  } else if (group === 'contacts' && verb === 'import' && rest[0]) {
    const data = JSON.parse(readFileSync(rest[0], 'utf8'));
    const contacts: unknown[] = Array.isArray(data) ? data : data.contacts;
    if (!Array.isArray(contacts)) fail('the file holds neither a JSON array nor {"contacts": [...]}');
    let upserted = 0;
    const errors: unknown[] = [];
    for (let i = 0; i < contacts.length; i += 10000) {
      const r = await call('POST', '/v1/contacts/bulk', apiKey(), { contacts: contacts.slice(i, i + 10000) });
      upserted += r.upserted;
      errors.push(...r.errors.map((e: { index: number }) => ({ ...e, index: e.index + i })));
    }
    console.log(JSON.stringify({ upserted, errors }));
  } else if (group === 'send' && (verb === 'sms' || verb === 'email')) {
    const text = option(rest, 'text') ?? fail('--text is required');
    const body =
      verb === 'sms'
        ? { name: option(rest, 'name') ?? 'CLI send', channel: 'sms', audience: { all: true }, sms: { from: option(rest, 'from') ?? fail('--from is required'), text } }
        : { name: option(rest, 'name') ?? 'CLI send', channel: 'email', audience: { all: true }, email: { subject: option(rest, 'subject') ?? fail('--subject is required'), text } };
    const key = apiKey();
    const campaign = await call('POST', '/v1/campaigns', key, body);
    // What it will cost, before it is sent (execute refuses with 402 when the balance is short).
    console.error(JSON.stringify({ estimate: await call('POST', `/v1/campaigns/${campaign.id}/estimate`, key) }));
    await call('POST', `/v1/campaigns/${campaign.id}/execute`, key, undefined, { 'idempotency-key': `cli-${campaign.id}` });
    await follow(campaign.id, key);
  } else if (group === 'campaign' && verb === 'estimate' && rest[0]) {
    console.log(JSON.stringify(await call('POST', `/v1/campaigns/${rest[0]}/estimate`, apiKey())));
  } else if (group === 'campaign' && verb === 'show' && rest[0]) {
    console.log(JSON.stringify(await call('GET', `/v1/campaigns/${rest[0]}`, apiKey())));
  } else {
    console.error(USAGE);
    process.exit(2);
  }
}

main(process.argv.slice(2)).catch((err) => fail((err as Error).message));
