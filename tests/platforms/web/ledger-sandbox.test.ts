// The ledger in the sandbox (a platform that takes no files): /台账 in a direct chat answers with a
// card whose link downloads the workbook from the web edge; a secretary's holds only their branch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readXlsx } from '../../support/ledger-read.js';
import { startWebSandbox, type Visitor, type WebSandbox } from '../../support/web-sandbox.js';

let sandbox: WebSandbox;

async function as(person: string): Promise<Visitor> {
  const v = sandbox.visitor();
  await v.get('/');
  expect((await v.post('/sandbox/who', { _csrf: v.csrf(), person })).status).toBe(303);
  return v;
}

/** Says /台账 in the person's direct chat and returns the download link the card shows. */
async function ledgerLink(v: Visitor, chat: string): Promise<string> {
  await v.get(`/?chat=${encodeURIComponent(chat)}`);
  expect((await v.post('/sandbox/say', { _csrf: v.csrf(), _n: crypto.randomUUID(), chat, text: '/台账' })).status).toBe(303);
  await sandbox.idle();
  await v.get(`/?chat=${encodeURIComponent(chat)}`);
  const link = [...v.lastPage().matchAll(/href="(\/dl\/[^"]+)"/g)].at(-1)?.[1];
  if (!link) throw new Error('no ledger link on the page');
  return link.replace(/&amp;/g, '&');
}

beforeAll(async () => {
  sandbox = await startWebSandbox();
}, 60_000);
afterAll(async () => sandbox?.close());

describe('/台账 in the sandbox', () => {
  it('gives the committee the whole workbook and a secretary their branch, by link only', async () => {
    const admin = await as('c1');
    const res = await admin.get(await ledgerLink(admin, 'dm:c1'));
    expect(res.status).toBe(200);
    const whole = readXlsx(Buffer.from(await res.arrayBuffer()));
    expect(whole.names).toContain('党员互评');
    const branches = new Set(whole.sheets['名册']!.slice(1).map((r) => r[0]));
    expect(branches.size).toBeGreaterThan(2);

    const secretary = await as('a1');
    const own = readXlsx(Buffer.from(await (await secretary.get(await ledgerLink(secretary, 'dm:a1'))).arrayBuffer()));
    const ownBranches = new Set(own.sheets['名册']!.slice(1).map((r) => r[0]));
    expect(ownBranches.size).toBe(1);
    expect(branches.has([...ownBranches][0])).toBe(true);
  });
});
