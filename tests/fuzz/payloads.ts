// Seeded hostile inputs for POST /webhooks/feishu, by class: a mulberry32 PRNG, the world (users, chats
// and database ids of the seeded bot) the generators aim at, and one generator per class that returns
// wire-ready cases (encrypted and signed with tests/support/feishu-wire.ts where the class needs it).
import { createCipheriv, createHash } from 'node:crypto';
import { defaultRegistry } from '../../handlers/index.js';
import { BOT, TEST_APP, cardActionEvent, challenge, encryptFeishu, messageEvent, signFeishu, wire } from '../support/feishu-wire.js';

export const FUZZ_CLASSES = [
  'not-json',
  'json-not-object',
  'bad-signature',
  'bad-timestamp',
  'bad-token',
  'bad-encrypt',
  'schema-garbage',
  'message-hostile',
  'card-hostile',
  'valid',
] as const;
export type FuzzClass = (typeof FUZZ_CLASSES)[number];

export interface FuzzCase {
  cls: FuzzClass;
  /** Which variant of the class, e.g. "truncated" or "v-toString": enough to find the generator branch. */
  variant: string;
  body: string;
  headers: Record<string, string>;
  /** Raw bytes to send instead of `body` (invalid UTF-8); `body` then holds them as latin1 for printing. */
  bytes?: Uint8Array;
  /** Statuses this variant should get; others are reported (not failed): the goal is only "never >= 500". */
  expect: readonly number[];
  /** The header.event_id sent, when there is one: handler errors are logged with it. */
  eventId?: string;
}

// ---------------------------------------------------------------------------------------------------
// PRNG

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
  hex(bytes: number): string;
}

/** mulberry32: tiny, fast and good enough to make a fuzz run replayable from one 32-bit seed. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  return {
    next,
    int,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)]!;
    },
    chance: (p) => next() < p,
    hex: (bytes) => Array.from({ length: bytes }, () => int(0, 255).toString(16).padStart(2, '0')).join(''),
  };
}

/** Bytes from the PRNG (IVs, garbage bodies), so a case is the same on every replay. */
function rngBytes(rng: Rng, n: number): Buffer {
  const buf = Buffer.alloc(n);
  for (let i = 0; i < n; i++) buf[i] = rng.int(0, 255);
  return buf;
}

// ---------------------------------------------------------------------------------------------------
// The world the cases aim at

export interface FuzzWorld {
  seed: number;
  /** The bot's clock in Unix seconds: signed timestamps must agree with it. */
  nowSec: number;
  users: { admins: string[]; secretaries: string[]; members: string[]; leaders: string[]; strangers: string[] };
  /** Bound branch chats, then chats the bot does not know. */
  chats: { branches: string[]; unknown: string[] };
  /** Database ids that card values carry (phase, branch, member, round, campaign). */
  ids: { phases: number[]; branches: number[]; members: number[]; rounds: number[]; campaigns: number[] };
  /** Ids of the phases open at the clock, by kind (pledge, declare, semester, review ...). */
  openPhases: Record<string, number[]>;
  /** Form field names the handlers read (area_1, score_3, grade_leadership ...). */
  formKeys: string[];
  /** Assessment page ids (rubric category ids and "extra"). */
  pageIds: string[];
}

/** A world with the users of tests/support/org.ts and no database ids (an unseeded bot). */
export function defaultWorld(seed: number, nowSec: number): FuzzWorld {
  const formKeys: string[] = [];
  for (let n = 1; n <= 5; n++)
    formKeys.push(`area_${n}`, `promise_${n}`, `due_${n}`, `status_${n}`, `note_${n}`, `score_${n}`, `bonus_${n}`, `claim_${n}`, `veto_${n}`);
  formKeys.push('post_kind', 'statement', 'strengths', 'problems', 'direction');
  return {
    seed,
    nowSec,
    users: {
      admins: ['ou_admin'],
      secretaries: ['ou_a1', 'ou_b1'],
      members: ['ou_a2', 'ou_a3', 'ou_b2'],
      leaders: ['ou_l'],
      strangers: ['ou_nobody', ''],
    },
    chats: { branches: ['oc_branch_a', 'oc_branch_b'], unknown: ['oc_unknown', 'oc_p2p'] },
    ids: { phases: [], branches: [], members: [], rounds: [], campaigns: [] },
    openPhases: {},
    formKeys,
    pageIds: ['extra', 'summary'],
  };
}

// ---------------------------------------------------------------------------------------------------
// Hostile values

/** A JSON object with an own "__proto__" key (an object literal would set the prototype instead). */
function withProtoKey(inner: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const obj = JSON.parse(`{"__proto__":${JSON.stringify(inner)}}`) as Record<string, unknown>;
  return Object.assign(obj, extra);
}

function hugeString(rng: Rng, unit = rng.pick(['a', '啊', '😀', '\\', '"', '\u202e', '%'])): string {
  return unit.repeat(rng.pick([1_000, 10_000, 100_000]));
}

/** Deeply nested JSON as text: JSON.parse takes it, a recursive JSON.stringify of the result overflows. */
function deepText(depth: number, shape: 'o' | 'a', leaf = '1'): string {
  return shape === 'o' ? '{"a":'.repeat(depth) + leaf + '}'.repeat(depth) : '['.repeat(depth) + leaf + ']'.repeat(depth);
}

function deepJsonText(rng: Rng, leaf = '1'): string {
  return deepText(rng.pick([200, 3_000, 12_000]), rng.pick(['o', 'a'] as const), leaf);
}

/**
 * A deep value stands in the payload as a marker string, because wire() would overflow stringifying it;
 * sealed() splices the nested text in for the marker (the marker encodes depth and shape, so no state).
 */
const DEEP_MARKER = /"__fz_deep_(\d+)_([oa])__"/g;

function deepValue(rng: Rng): string {
  return `__fz_deep_${rng.pick([200, 3_000, 12_000])}_${rng.pick(['o', 'a'])}__`;
}

function expandDeep(text: string): string {
  return text.replace(DEEP_MARKER, (_, depth: string, shape: string) => deepText(Number(depth), shape === 'o' ? 'o' : 'a'));
}

const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\u0000\u0001\u001f',
  '\u202e\u0645\u202dabc',
  '\u200b',
  '\ufeff',
  '\ud800',
  '\udfff\ud800',
  'e\u0301\u0301\u0301\u0301',
  '𝔸𝕓𝕔',
  '../../etc/passwd',
  '..\\..\\windows',
  '%00%2e%2e',
  "' OR 1=1 --",
  '"; DROP TABLE members; --',
  '<script>alert(1)</script>',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a log4shell-style probe, meant literally
  '${jndi:ldap://x}',
  '{{7*7}}',
  '\\',
  '"',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-1',
  '0',
  '-0',
  '1e309',
  '999999999999',
  '999999999999999999999',
  '9007199254740993',
  '0x10',
  ' 1 ',
  '1.5',
  '１２',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  '@_user_1',
  '@_all',
  '2026-02-30',
  '2026-13-01',
  '0000-00-00',
  '9999-99-99',
];

function nastyString(rng: Rng): string {
  return rng.chance(0.08) ? hugeString(rng) : rng.pick(NASTY_STRINGS);
}

/** Any hostile JSON value: the shapes a handler that expects a string or a small integer does not. */
function hostileValue(rng: Rng, w: FuzzWorld, depth = 0): unknown {
  const roll = rng.int(0, depth > 1 ? 5 : 13);
  switch (roll) {
    case 0:
    case 1:
      return nastyString(rng);
    case 2:
      return rng.pick([0, -1, 1, 1.5, -0, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, 1e308, -1e308, 123456789012]);
    case 3:
      return rng.pick([true, false, null]);
    case 4:
      return realId(rng, w) ?? 1;
    case 5:
      return String(realId(rng, w) ?? 1);
    case 6:
      return rng.pick<unknown>([{ toString: 1 }, { valueOf: null, toString: null }, { valueOf: 1 }, { toJSON: 1 }, { length: 1e9 }]);
    case 7:
      return withProtoKey(rng.pick<unknown>([{ a: 1 }, null, 'x', [1]]), { constructor: { prototype: { polluted: 1 } } });
    case 8:
      return [];
    case 9:
      return Array.from({ length: rng.int(1, 4) }, () => hostileValue(rng, w, depth + 1));
    case 10:
      return { a: hostileValue(rng, w, depth + 1), 0: hostileValue(rng, w, depth + 1) };
    case 11:
      return [rng.pick<unknown>([{ toString: 1 }, { valueOf: null, toString: null }, null, []])];
    case 12:
      return deepValue(rng);
    default:
      return 'x'.repeat(rng.pick([300, 5_000, 70_000]));
  }
}

function realId(rng: Rng, w: FuzzWorld): number | undefined {
  const pool = rng.pick([w.ids.phases, w.ids.branches, w.ids.members, w.ids.rounds, w.ids.campaigns]);
  return pool.length ? rng.pick(pool) : undefined;
}

type Access = 'admin' | 'secretary' | 'leader' | 'member' | 'anyone';

/** Mostly someone the spec lets in (so the handler runs), sometimes anyone at all. */
function userFor(rng: Rng, w: FuzzWorld, access: readonly string[]): string {
  if (rng.chance(0.2) || access.length === 0) return anyUser(rng, w) || 'ou_x';
  const role = rng.pick(access) as Access;
  const pool = { admin: w.users.admins, secretary: w.users.secretaries, leader: w.users.leaders, member: w.users.members, anyone: w.users.members }[role];
  return pool?.length ? rng.pick(pool) : rng.pick(w.users.members);
}

function anyUser(rng: Rng, w: FuzzWorld): string {
  return rng.pick(rng.pick([w.users.admins, w.users.secretaries, w.users.members, w.users.members, w.users.leaders, w.users.strangers]));
}

// ---------------------------------------------------------------------------------------------------
// Wire helpers

const JSON_HEADERS = { 'content-type': 'application/json' } as const;

/** Encrypts and signs a payload with the bot's key at the bot's clock (wire() from the test support). */
function sealed(rng: Rng, w: FuzzWorld, payload: unknown): { body: string; headers: Record<string, string> } {
  const text = JSON.stringify(payload);
  if (text.includes('"__fz_deep_')) return sealedText(rng, w, expandDeep(text));
  return wire(payload, { encryptKey: TEST_APP.encryptKey, timestamp: String(w.nowSec), nonce: rng.hex(8) });
}

/** Signs an arbitrary outer body text as Feishu would. */
function signedText(rng: Rng, body: string, timestamp: string, key = TEST_APP.encryptKey): Record<string, string> {
  const nonce = rng.hex(8);
  return {
    ...JSON_HEADERS,
    'x-lark-request-timestamp': timestamp,
    'x-lark-request-nonce': nonce,
    'x-lark-signature': signFeishu(timestamp, nonce, key, body),
  };
}

/** Encrypts a plaintext given as text (which may be deep or not JSON at all) and signs the result. */
function sealedText(rng: Rng, w: FuzzWorld, plaintext: string): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify({ encrypt: encryptFeishu(plaintext, TEST_APP.encryptKey, rngBytes(rng, 16)) });
  return { body, headers: signedText(rng, body, String(w.nowSec)) };
}

/** AES-256-CBC of raw bytes (for plaintexts that are not UTF-8), same framing as encryptFeishu. */
function encryptBytes(plain: Buffer, key: string, iv: Buffer): string {
  const k = createHash('sha256').update(key).digest();
  const cipher = createCipheriv('aes-256-cbc', k, iv);
  return Buffer.concat([iv, cipher.update(plain), cipher.final()]).toString('base64');
}

function caseOf(
  cls: FuzzClass,
  variant: string,
  req: { body: string; headers: Record<string, string> },
  expect: readonly number[],
  eventId?: string,
): FuzzCase {
  return { cls, variant, body: req.body, headers: req.headers, expect, ...(eventId ? { eventId } : {}) };
}

/** Event ids are unique per (seed, case) so that dedupe does not hide a case; a few reuse one on purpose. */
function eventIdFor(w: FuzzWorld, index: number): string {
  return `ev_fz${w.seed}_${index}`;
}

type Json = Record<string, unknown>;

/** A valid command message from someone, in a group (with @bot) or privately. */
function commandMessage(rng: Rng, w: FuzzWorld, eventId: string, text: string, from = anyUser(rng, w)): Json {
  const group = rng.chance(0.6);
  const others = Array.from({ length: rng.int(0, 3) }, () => ({ openId: anyUser(rng, w) || 'ou_x', name: nastyString(rng).slice(0, 40) }));
  if (!group) return messageEvent({ from: from || 'ou_x', text, eventId, mentions: others });
  const chatId = rng.chance(0.8) ? rng.pick(w.chats.branches) : rng.pick(w.chats.unknown);
  return messageEvent({ from: from || 'ou_x', chatId, chatType: 'group', text: `@_user_1 ${text}`, mentions: [BOT, ...others], eventId });
}

function objectAt(root: Json, key: string): Json {
  const v = root[key];
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Json;
  throw new Error(`fuzz template has no object at ${key}`);
}

// ---------------------------------------------------------------------------------------------------
// Classes

const BAD_REQUEST = [400] as const;
const UNAUTHORIZED = [401] as const;
const OK = [200] as const;
const OK_OR_400 = [200, 400] as const;

function notJson(rng: Rng, w: FuzzWorld, index: number): FuzzCase {
  const valid = sealed(rng, w, messageEvent({ from: 'ou_a2', text: '/帮助', eventId: eventIdFor(w, index) }));
  const variant = rng.pick([
    'empty',
    'whitespace',
    'garbage-ascii',
    'garbage-bytes',
    'truncated',
    'truncated-signed',
    'huge',
    'invalid-utf8',
    'bom',
    'js-literal',
  ]);
  const plain = { headers: { ...JSON_HEADERS } };
  switch (variant) {
    case 'empty':
      return caseOf('not-json', variant, { body: '', ...plain }, BAD_REQUEST);
    case 'whitespace':
      return caseOf('not-json', variant, { body: rng.pick([' ', '\n\t\r ', '\u00a0', '\u3000']), ...plain }, BAD_REQUEST);
    case 'garbage-ascii': {
      const body = Array.from({ length: rng.int(1, 400) }, () => String.fromCharCode(rng.int(33, 126))).join('');
      // A random printable run may by chance be JSON ("7", "{}"): then 400 or 401.
      return caseOf('not-json', variant, { body, ...plain }, [400, 401]);
    }
    case 'garbage-bytes': {
      const bytes = rngBytes(rng, rng.int(1, 2_000));
      bytes[0] = rng.pick([0x00, 0xff, 0x80, 0x7b]);
      return { ...caseOf('not-json', variant, { body: bytes.toString('latin1'), headers: valid.headers }, BAD_REQUEST), bytes };
    }
    case 'truncated':
      return caseOf('not-json', variant, { body: valid.body.slice(0, rng.int(0, valid.body.length - 1)), headers: valid.headers }, BAD_REQUEST);
    case 'truncated-signed': {
      const body = valid.body.slice(0, rng.int(1, valid.body.length - 1));
      return caseOf('not-json', variant, { body, headers: signedText(rng, body, String(w.nowSec)) }, BAD_REQUEST);
    }
    case 'huge': {
      const body = rng.pick(['"', '{"encrypt":"', '[', '{"a":']) + 'A'.repeat(rng.pick([100_000, 1_000_000]));
      return caseOf('not-json', variant, { body, ...plain }, BAD_REQUEST);
    }
    case 'invalid-utf8': {
      const junk = Buffer.from(
        rng.pick([
          [0xff, 0xfe],
          [0xc0, 0xaf],
          [0xed, 0xa0, 0x80],
          [0xe4, 0xb8],
          [0xf8, 0x88, 0x80, 0x80, 0x80],
        ]),
      );
      const bytes = rng.chance(0.5) ? Buffer.concat([junk, Buffer.from(valid.body)]) : Buffer.concat([Buffer.from('{"encrypt":"'), junk, Buffer.from('"}')]);
      return { ...caseOf('not-json', variant, { body: bytes.toString('latin1'), headers: valid.headers }, [400, 401]), bytes };
    }
    case 'bom':
      // The request's text decoder drops a leading BOM, so this may well be read as the valid body.
      return caseOf('not-json', variant, { body: `\ufeff${valid.body}`, headers: valid.headers }, [200, 400]);
    default: {
      const body = rng.pick(['{a:1}', "{'encrypt':'x'}", 'NaN', 'undefined', '{"a":1,}', '{} {}', '01', '{"a":1}/*c*/', '{"a":"\\x41"}', '{"a":"\u0001"}']);
      return caseOf('not-json', variant, { body, ...plain }, BAD_REQUEST);
    }
  }
}

function jsonNotObject(rng: Rng, w: FuzzWorld, index: number): FuzzCase {
  const variant = rng.pick(['array', 'array-of-event', 'number', 'null', 'boolean', 'string', 'deep-array', 'signed']);
  const event = messageEvent({ from: 'ou_a2', text: '/帮助', eventId: eventIdFor(w, index) });
  let body: string;
  switch (variant) {
    case 'array':
      body = JSON.stringify(rng.pick<unknown[]>([[], [1, 2], [{ encrypt: 'x' }], [null]]));
      break;
    case 'array-of-event':
      body = JSON.stringify([event, challenge()]);
      break;
    case 'number':
      body = rng.pick(['0', '-1', '1e999', '3.14', '123456789012345678901234567890']);
      break;
    case 'null':
      body = 'null';
      break;
    case 'boolean':
      body = rng.pick(['true', 'false']);
      break;
    case 'string':
      body = JSON.stringify(rng.pick([JSON.stringify(event), '{"encrypt":"abc"}', nastyString(rng)]));
      break;
    case 'deep-array': {
      const depth = rng.pick([1_000, 50_000]);
      // Closed: a deep array; unclosed half of the time: a parse error.
      body = '['.repeat(depth) + (rng.chance(0.5) ? ']'.repeat(depth) : '');
      break;
    }
    default: {
      body = JSON.stringify(rng.pick<unknown>([[event], 42, null, 'x']));
      return caseOf('json-not-object', variant, { body, headers: signedText(rng, body, String(w.nowSec)) }, BAD_REQUEST);
    }
  }
  return caseOf('json-not-object', variant, { body, headers: { ...JSON_HEADERS } }, BAD_REQUEST);
}

function badSignature(rng: Rng, w: FuzzWorld, index: number): FuzzCase {
  const eventId = eventIdFor(w, index);
  const payload: Json = rng.chance(0.5)
    ? commandMessage(rng, w, eventId, rng.pick(['/帮助', '/我是谁', '/承诺']))
    : cardActionEvent({ from: anyUser(rng, w) || 'ou_x', eventId, value: { a: 'bind.cancel', v: 1 } });
  const good = sealed(rng, w, payload);
  const headers = { ...good.headers };
  let body = good.body;
  const variant = rng.pick([
    'random-hex',
    'other-key',
    'other-body',
    'missing-signature',
    'missing-nonce',
    'missing-all',
    'empty-all',
    'garbled',
    'long-header',
    'tampered-body',
    'nonce-changed',
    'truncated-signature',
    'unencrypted-unsigned',
  ]);
  switch (variant) {
    case 'random-hex':
      headers['x-lark-signature'] = rng.hex(32);
      break;
    case 'other-key':
      headers['x-lark-signature'] = signFeishu(headers['x-lark-request-timestamp']!, headers['x-lark-request-nonce']!, 'another key', body);
      break;
    case 'other-body':
      headers['x-lark-signature'] = signFeishu(headers['x-lark-request-timestamp']!, headers['x-lark-request-nonce']!, TEST_APP.encryptKey, `${body} `);
      break;
    case 'missing-signature':
      delete headers['x-lark-signature'];
      break;
    case 'missing-nonce':
      delete headers['x-lark-request-nonce'];
      break;
    case 'missing-all':
      delete headers['x-lark-signature'];
      delete headers['x-lark-request-nonce'];
      delete headers['x-lark-request-timestamp'];
      break;
    case 'empty-all':
      headers['x-lark-signature'] = '';
      headers['x-lark-request-nonce'] = '';
      headers['x-lark-request-timestamp'] = '';
      break;
    case 'garbled':
      headers[rng.pick(['x-lark-signature', 'x-lark-request-nonce', 'x-lark-request-timestamp'])] = rng.pick([
        'ÿÿÿÿ',
        '\u00e9t\u00e9',
        ' ',
        'null',
        'undefined',
        '%00',
        '0'.repeat(64),
        `sha256=${headers['x-lark-signature']!}`,
      ]);
      break;
    case 'long-header':
      headers[rng.pick(['x-lark-signature', 'x-lark-request-nonce'])] = 'f'.repeat(rng.pick([4_096, 16_384]));
      break;
    case 'tampered-body':
      body = rng.chance(0.5) ? `${body} ` : body.replace('"encrypt":"', '"encrypt":"A');
      break;
    case 'nonce-changed':
      headers['x-lark-request-nonce'] = rng.hex(8);
      break;
    case 'truncated-signature':
      headers['x-lark-signature'] = headers['x-lark-signature']!.slice(0, rng.int(0, 63));
      break;
    default:
      // An event in plaintext with no signature: with an Encrypt Key set, only challenges may be unsigned.
      return caseOf('bad-signature', variant, { body: JSON.stringify(payload), headers: { ...JSON_HEADERS } }, UNAUTHORIZED, eventId);
  }
  return caseOf('bad-signature', variant, { body, headers }, UNAUTHORIZED, eventId);
}

function badTimestamp(rng: Rng, w: FuzzWorld, index: number): FuzzCase {
  const eventId = eventIdFor(w, index);
  const payload = commandMessage(rng, w, eventId, rng.pick(['/帮助', '/我是谁']));
  const plain = JSON.stringify(payload);
  const body = JSON.stringify({ encrypt: encryptFeishu(plain, TEST_APP.encryptKey, rngBytes(rng, 16)) });
  const now = w.nowSec;
  // [variant, timestamp header (undefined: absent), statuses]: only Unix seconds within the window pass.
  const variants: Array<[string, string | undefined, readonly number[]]> = [
    ['non-numeric', rng.pick(['abc', 'now', 'NaN', 'Infinity', '1e9', '0x6a0b0000', '--']), UNAUTHORIZED],
    ['empty', '', UNAUTHORIZED],
    ['absent', undefined, UNAUTHORIZED],
    ['far-past', String(now - rng.pick([9 * 3600, 86_400 * 400, now - 1_000_000_000])), UNAUTHORIZED],
    ['far-future', String(now + rng.pick([6 * 60, 13 * 3600, 86_400 * 400])), UNAUTHORIZED],
    ['max-10-digits', '9999999999', UNAUTHORIZED],
    ['ms', String(now * 1000 + rng.int(0, 999)), UNAUTHORIZED],
    ['us', String(now * 1_000_000), UNAUTHORIZED],
    ['negative', String(-now), UNAUTHORIZED],
    ['fraction', `${now}.${rng.int(0, 999)}`, UNAUTHORIZED],
    ['padded', rng.pick([` ${now}`, `${now} `, `+${now}`]), UNAUTHORIZED],
    ['leading-zero', `0${now}`, OK],
    ['zero', '0', UNAUTHORIZED],
    ['within-window', String(now - rng.int(0, 3600)), OK],
  ];
  const [variant, ts, expect] = rng.pick(variants);
  const nonce = rng.hex(8);
  const headers: Record<string, string> = {
    ...JSON_HEADERS,
    'x-lark-request-nonce': nonce,
    'x-lark-signature': signFeishu(ts ?? '', nonce, TEST_APP.encryptKey, body),
  };
  if (ts !== undefined) headers['x-lark-request-timestamp'] = ts;
  return caseOf('bad-timestamp', variant, { body, headers }, expect, eventId);
}

function badToken(rng: Rng, w: FuzzWorld, index: number): FuzzCase {
  const eventId = eventIdFor(w, index);
  const wrong: unknown = rng.pick<unknown>([
    'vtoken-tesT',
    'vtoken-test ',
    ' vtoken-test',
    'vtoken-tes',
    'vtoken-testx',
    '',
    'x'.repeat(64),
    '\u0000',
    'VTOKEN-TEST',
    'ｖtoken-test',
  ]);
  const variant = rng.pick(['wrong-string', 'non-string', 'missing', 'token-at-top-only', 'challenge', 'v1-event', 'card-action']);
  let payload: Json;
  switch (variant) {
    case 'wrong-string':
      payload = commandMessage(rng, w, eventId, '/帮助');
      objectAt(payload, 'header').token = wrong;
      break;
    case 'non-string':
      payload = commandMessage(rng, w, eventId, '/帮助');
      objectAt(payload, 'header').token = rng.pick<unknown>([
        null,
        0,
        1,
        true,
        [TEST_APP.verificationToken],
        { token: TEST_APP.verificationToken },
        { toString: 1 },
      ]);
      break;
    case 'missing':
      payload = commandMessage(rng, w, eventId, '/帮助');
      delete objectAt(payload, 'header').token;
      break;
    case 'token-at-top-only':
      payload = commandMessage(rng, w, eventId, '/帮助');
      delete objectAt(payload, 'header').token;
      payload.token = TEST_APP.verificationToken;
      break;
    case 'challenge':
      payload = challenge(typeof wrong === 'string' ? wrong : 'x', nastyString(rng));
      return caseOf('bad-token', variant, sealedUnsigned(rng, payload), UNAUTHORIZED);
    case 'v1-event':
      payload = { uuid: eventId, token: wrong, ts: String(w.nowSec), type: 'event_callback', event: { type: 'message', text: '/帮助' } };
      break;
    default:
      payload = cardActionEvent({
        from: anyUser(rng, w) || 'ou_x',
        eventId,
        value: { a: 'bind.cancel', v: 1 },
        token: typeof wrong === 'string' ? wrong : 'x',
      });
  }
  return caseOf('bad-token', variant, sealed(rng, w, payload), UNAUTHORIZED, eventId);
}

/** Challenges arrive encrypted but unsigned. */
function sealedUnsigned(rng: Rng, payload: unknown): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify({ encrypt: encryptFeishu(JSON.stringify(payload), TEST_APP.encryptKey, rngBytes(rng, 16)) });
  return { body, headers: { ...JSON_HEADERS } };
}

function badEncrypt(rng: Rng, w: FuzzWorld, index: number): FuzzCase {
  const eventId = eventIdFor(w, index);
  const plain = JSON.stringify(commandMessage(rng, w, eventId, '/帮助'));
  const key = TEST_APP.encryptKey;
  const iv = rngBytes(rng, 16);
  const variant = rng.pick([
    'not-base64',
    'short',
    'not-block-multiple',
    'wrong-key',
    'bad-padding',
    'non-json-plaintext',
    'json-not-object-plaintext',
    'empty-plaintext',
    'invalid-utf8-plaintext',
    'encrypt-not-string',
    'huge-encrypt',
    'base64url',
  ]);
  let encrypt: unknown;
  let expect: readonly number[] = BAD_REQUEST;
  switch (variant) {
    case 'not-base64':
      encrypt = rng.pick(['!!!@@@###', '====', '\u4e2d\u6587', '\u0000\u0000', nastyString(rng)]);
      break;
    case 'short':
      encrypt = rngBytes(rng, rng.int(0, 31)).toString('base64');
      break;
    case 'not-block-multiple':
      encrypt = rngBytes(rng, 16 + 16 * rng.int(1, 4) + rng.int(1, 15)).toString('base64');
      break;
    case 'wrong-key':
      encrypt = encryptFeishu(plain, rng.pick(['wrong key', '', 'test encrypt key ', key.toUpperCase()]) || 'k', iv);
      break;
    case 'bad-padding': {
      const buf = Buffer.from(encryptFeishu(plain, key, iv), 'base64');
      const at = buf.length - 1 - rng.int(0, 15);
      buf[at] = buf[at]! ^ (1 + rng.int(0, 254));
      encrypt = buf.toString('base64');
      // Flipping a byte of the last block usually breaks the padding; rarely it leaves valid padding over garbage.
      expect = [400];
      break;
    }
    case 'non-json-plaintext':
      encrypt = encryptFeishu(rng.pick(['hello', '{"schema":"2.0"', plain.slice(0, -1), `${plain}}`, '\ufeff{}']), key, iv);
      break;
    case 'json-not-object-plaintext':
      encrypt = encryptFeishu(rng.pick(['[]', 'null', '1', '"x"', `[${plain}]`]), key, iv);
      break;
    case 'empty-plaintext':
      encrypt = encryptFeishu('', key, iv);
      break;
    case 'invalid-utf8-plaintext': {
      const bytes = Buffer.concat([Buffer.from(plain.slice(0, 20)), Buffer.from([0xff, 0xc0, 0xaf, 0xed, 0xa0, 0x80]), Buffer.from(plain.slice(20))]);
      encrypt = encryptBytes(bytes, key, iv);
      // The decrypted text decodes with U+FFFD and may then be JSON that fails later checks.
      expect = [200, 400, 401];
      break;
    }
    case 'encrypt-not-string':
      encrypt = rng.pick<unknown>([123, null, true, {}, [encryptFeishu(plain, key, iv)], { toString: 1 }]);
      // Not a string: the body is read as plaintext and has no token.
      expect = UNAUTHORIZED;
      break;
    case 'huge-encrypt':
      encrypt = rngBytes(rng, 16 * rng.pick([4_096, 65_536])).toString('base64');
      break;
    default:
      encrypt = encryptFeishu(plain, key, iv).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
      // Node's base64 decoder also reads base64url, so this may decrypt fine.
      expect = [200, 400];
  }
  const body = JSON.stringify({ encrypt });
  return caseOf('bad-encrypt', variant, { body, headers: signedText(rng, body, String(w.nowSec)) }, expect, eventId);
}

function schemaGarbage(rng: Rng, w: FuzzWorld, index: number): FuzzCase {
  const eventId = eventIdFor(w, index);
  const base: Json = rng.chance(0.5)
    ? commandMessage(rng, w, eventId, '/帮助')
    : cardActionEvent({ from: anyUser(rng, w) || 'ou_x', eventId, value: { a: 'bind.cancel', v: 1 } });
  const header = objectAt(base, 'header');
  const variant = rng.pick([
    'header-missing',
    'header-wrong-type',
    'header-proto',
    'event-missing',
    'event-wrong-type',
    'event-type-unknown',
    'event-type-wrong-type',
    'event-id-wrong-type',
    'event-id-empty',
    'event-id-huge',
    'event-id-duplicate',
    'schema-other',
    'challenge-wrong-type',
    'challenge-huge',
    'deep-event',
    'extra-fields',
  ]);
  let expect: readonly number[] = BAD_REQUEST;
  switch (variant) {
    case 'header-missing':
      delete base.header;
      base.token = TEST_APP.verificationToken;
      break;
    case 'header-wrong-type':
      base.header = rng.pick<unknown>([null, [], [header], 'header', 2, true]);
      base.token = TEST_APP.verificationToken;
      break;
    case 'header-proto':
      // Own "__proto__" key holding the real header: nothing may read through it.
      base.header = withProtoKey(header);
      expect = UNAUTHORIZED;
      break;
    case 'event-missing':
      delete base.event;
      break;
    case 'event-wrong-type':
      base.event = rng.pick<unknown>([null, [], 'event', 0, [objectAt(base, 'event')]]);
      break;
    case 'event-type-unknown':
      header.event_type = rng.pick([
        'im.message.read_v1',
        'im.chat.member.user.added_v1',
        'card.action.trigger_v2',
        'IM.MESSAGE.RECEIVE_V1',
        ' im.message.receive_v1',
        nastyString(rng),
      ]);
      expect = [200];
      break;
    case 'event-type-wrong-type':
      header.event_type = rng.pick<unknown>([null, 1, ['im.message.receive_v1'], { toString: 1 }, true]);
      expect = [200];
      break;
    case 'event-id-wrong-type':
      header.event_id = rng.pick<unknown>([null, 0, 12345, ['ev'], { toString: 1 }, true]);
      break;
    case 'event-id-empty':
      if (rng.chance(0.5)) delete header.event_id;
      else header.event_id = '';
      break;
    case 'event-id-huge':
      header.event_id = rng.chance(0.5) ? hugeString(rng) : nastyString(rng) || '\u0000';
      expect = OK_OR_400;
      break;
    case 'event-id-duplicate':
      // An id an earlier case (maybe of another class) used: a duplicate delivery is acknowledged.
      header.event_id = eventIdFor(w, rng.int(0, Math.max(0, index - 1)));
      expect = OK_OR_400;
      break;
    case 'schema-other':
      base.schema = rng.pick<unknown>(['2', '2.0 ', '1.0', 2, 2.0, null, '']);
      base.token = TEST_APP.verificationToken;
      expect = [200];
      break;
    case 'challenge-wrong-type':
      return caseOf(
        'schema-garbage',
        variant,
        sealedUnsigned(rng, { type: 'url_verification', token: TEST_APP.verificationToken, challenge: rng.pick<unknown>([null, 1, {}, [], true]) }),
        BAD_REQUEST,
      );
    case 'challenge-huge':
      return caseOf('schema-garbage', variant, sealedUnsigned(rng, challenge(TEST_APP.verificationToken, hugeString(rng))), [200]);
    case 'deep-event': {
      // Valid header, an event nested thousands deep: reading it is fine, serialising it recursively is not.
      const text = JSON.stringify({
        schema: '2.0',
        header: { ...header, event_type: rng.pick(['im.message.receive_v1', 'card.action.trigger', 'x.unknown']) },
      });
      return caseOf('schema-garbage', variant, sealedText(rng, w, `${text.slice(0, -1)},"event":${deepJsonText(rng, '{}')}}`), OK_OR_400, eventId);
    }
    default:
      Object.assign(header, { create_time: hostileValue(rng, w), tenant_key: hostileValue(rng, w), app_id: hostileValue(rng, w) });
      base.extra = hostileValue(rng, w);
      expect = OK_OR_400;
  }
  return caseOf('schema-garbage', variant, sealed(rng, w, base), expect, eventId);
}

// Commands that hostile arguments are aimed at: the registry's words, plus the brief's own examples.
const ROUGH_COMMANDS = [
  '/承诺 核实 @_user_2 999999999999 通过 ' + '很好'.repeat(50),
  '/承诺 核实 @_user_2 -1',
  '/承诺 核实 @_user_2 1e3 ok',
  '/承诺 核实 0',
  '/活动 新建 ../../etc',
  '/活动 新建 示范岗 2026-02-30',
  '/活动 新建 创先争优 0000-01-01',
  '/活动 日期 2026-13-01 2026-00-00',
  '/活动 阶段 -1 2026-01-01 9999-99-99',
  '/活动 阶段 __proto__ 2026-01-01 2026-01-02',
  '/活动 假期 2026-10-01 2026-09-01',
  '/活动 名册 添加 @_user_2 @_user_2 @_user_2',
  '/入党日期 2026-02-30',
  '/入党日期 1900-01-01',
  '/入党日期 9999-12-31',
  '/入党日期 2026-1-1',
  '/纪念日 关闭 ;DROP TABLE members',
  '/纪念日 toString',
  '/评议 开始 @_all',
  '/评议 点评 @_user_2 constructor',
  '/申报 授牌 @_user_2 NaN',
  '/申报 确认 revoke 撤销 revoke',
  '/自评 复评 0x1',
  '/自评 支部 99999999999999999999',
  '/角色 @_user_2 admin',
  '/角色 @_user_2 书记 @_user_3 委员',
  '/绑定 ' + '支部'.repeat(200),
  '/绑定 \u202e部支一第',
  '/help help help',
  '/ 帮助',
  '／帮助',
  '/帮\u200b助',
  '/HELP',
  '/whoami\u0000',
  '/',
  '//',
  '/' + 'a'.repeat(100_000),
];

/** A registry command with hostile arguments, and someone its access rule lets in (mostly). */
function registryCommand(rng: Rng, w: FuzzWorld): { text: string; from: string } {
  const spec = rng.pick(defaultRegistry.commands);
  const word = rng.chance(0.5) ? spec.name : rng.pick(spec.aliases.length ? spec.aliases : [spec.name]);
  const parts = [`/${word}`];
  const sub = spec.subcommands?.length && rng.chance(0.8) ? rng.pick(spec.subcommands) : undefined;
  if (sub) parts.push(rng.pick(sub.names));
  const n = rng.int(0, 4);
  for (let i = 0; i < n; i++) {
    parts.push(
      rng.pick([
        () => nastyString(rng).replace(/\s+/g, '_') || '_',
        () => `@_user_${rng.int(1, 9)}`,
        () => String(realId(rng, w) ?? 1),
        () => rng.pick(['2026-08-01', '2026-02-30', '2026-12-31', '1970-01-01', '创先争优', '示范岗', '三亮三比三评', '开启', '关闭', '委员', '书记', '党员']),
        () => String(rng.int(-5, 40)),
      ])(),
    );
  }
  return { text: parts.join(rng.pick([' ', '  ', '\u3000', '\t'])), from: userFor(rng, w, (sub ?? spec).access) };
}

function messageHostile(rng: Rng, w: FuzzWorld, index: number): FuzzCase {
  const eventId = eventIdFor(w, index);
  const variant = rng.pick([
    'command-args',
    'command-args',
    'command-args',
    'rough-command',
    'rough-command',
    'content-not-json',
    'content-wrong-type',
    'message-type',
    'huge-text',
    'mentions-shape',
    'unicode',
    'sender-shape',
    'message-fields',
    'chat-type',
  ]);
  const { text, from } = variant === 'rough-command' ? { text: rng.pick(ROUGH_COMMANDS), from: anyUser(rng, w) } : registryCommand(rng, w);
  const payload = commandMessage(rng, w, eventId, text, from);
  const event = objectAt(payload, 'event');
  const message = objectAt(event, 'message');
  const sender = objectAt(event, 'sender');
  let expect: readonly number[] = OK;
  switch (variant) {
    case 'content-not-json':
      message.content = rng.pick(['{"text":', 'text', '', '{text:"/帮助"}', `${String(message.content)}x`, '\ufeff{"text":"/帮助"}']);
      expect = BAD_REQUEST;
      break;
    case 'content-wrong-type':
      message.content = rng.pick<unknown>([
        null,
        7,
        { text: '/帮助' },
        ['/帮助'],
        '[]',
        'null',
        '"/帮助"',
        '{"text":123}',
        '{"text":{"toString":1}}',
        '{"text":["/帮助"]}',
        JSON.stringify(withProtoKey({ text: '/帮助' })),
      ]);
      break;
    case 'message-type':
      message.message_type = rng.pick<unknown>(['post', 'image', 'file', 'interactive', '', 'TEXT', null, 5, ['text']]);
      if (rng.chance(0.5)) message.content = JSON.stringify(hostileValue(rng, w));
      break;
    case 'huge-text':
      message.content = JSON.stringify({
        text: rng.pick(['/帮助 ', '/承诺 核实 @_user_2 1 ', '', '/']) + hugeString(rng, rng.pick(['x ', '@_user_1 ', '参数 ', 'a'])),
      });
      break;
    case 'mentions-shape':
      message.mentions = rng.pick<unknown>([
        null,
        {},
        'mentions',
        [null, 1, 'x', []],
        [{ key: 1 }, { key: '@_user_1', id: 'ou_x' }, { key: '@_user_2', id: { open_id: 123 }, name: { toString: 1 } }],
        [withProtoKey({ open_id: 'ou_x' }, { key: '__proto__' }), { key: '@_user_2', id: withProtoKey({ open_id: 'ou_y' }) }],
        Array.from({ length: 200 }, (_, i) => ({ key: `@_user_${i % 3}`, id: { open_id: `ou_m${i}` }, name: 'n' })),
        [
          { key: '@_all', id: { open_id: '' }, name: '' },
          { key: '@_user_2', id: { open_id: anyUser(rng, w) }, name: hugeString(rng) },
        ],
        [{ key: '@_user_2', id: { open_id: 'ou_deep' }, name: 'deep', extra: deepValue(rng) }],
      ]);
      break;
    case 'unicode': {
      const tricks = ['\u202e', '\u200b', '\u200d', '\u00a0', '\u3000', '\ufeff', '\u0000', '\ud800', '\udc00', '\u0301', '🏳️‍🌈', '\u2028'];
      const chars = [...text];
      for (let i = 0; i < rng.int(1, 4); i++) chars.splice(rng.int(0, chars.length), 0, rng.pick(tricks));
      message.content = JSON.stringify({ text: chars.join('') });
      break;
    }
    case 'sender-shape': {
      const pick = rng.int(0, 4);
      if (pick === 0) {
        sender.sender_type = rng.pick(['app', 'bot', 'anonymous', '']);
      } else if (pick === 1) {
        delete event.sender;
        expect = BAD_REQUEST;
      } else if (pick === 2) {
        sender.sender_id = rng.pick<unknown>([null, 'ou_x', [], { open_id: 5 }, { open_id: '' }, { open_id: { toString: 1 } }]);
        expect = BAD_REQUEST;
      } else if (pick === 3) {
        sender.sender_type = rng.pick<unknown>([1, null, { toString: 1 }, ['user']]);
        expect = OK_OR_400;
      } else {
        objectAt(sender, 'sender_id').open_id = rng.pick(['ou_\u202eadmin', 'ou_admin ', hugeString(rng), '\u0000', 'ou_admin\u0000']);
      }
      break;
    }
    case 'message-fields': {
      const field = rng.pick(['chat_id', 'message_id']);
      if (rng.chance(0.5)) {
        message[field] = rng.pick<unknown>([null, 1, '', [], { toString: 1 }]);
        expect = BAD_REQUEST;
      } else {
        message[field] = rng.pick([hugeString(rng), '../../x', '\u0000', 'oc_\u202e']);
      }
      break;
    }
    case 'chat-type':
      message.chat_type = rng.pick<unknown>(['topic', 'P2P', 'p2p ', '', null, 1, ['p2p'], { toString: 1 }]);
      break;
    default:
      break;
  }
  if (variant === 'content-wrong-type' || variant === 'message-type' || variant === 'chat-type' || variant === 'mentions-shape') expect = OK_OR_400;
  return caseOf('message-hostile', variant, sealed(rng, w, payload), expect, eventId);
}

const ARG_KEYS = ['p', 'b', 'm', 'r', 'o', 'pg', 'page', 'edit', 'on', 'h', 'branch', 'x'];

function hostileArgs(rng: Rng, w: FuzzWorld): Json {
  const args: Json = {};
  const n = rng.int(0, 5);
  for (let i = 0; i < n; i++) {
    const key = rng.chance(0.85) ? rng.pick(ARG_KEYS) : rng.pick(['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', '', 'a ', 'P']);
    const value = rng.pick<() => unknown>([
      () => String(realId(rng, w) ?? 1),
      () => realId(rng, w) ?? 1,
      () => hostileValue(rng, w),
      () => nastyString(rng),
      () => rng.pick(['member', 'branch', 'secretary', 'leader', '1', '0', 'summary', 'extra', ...w.pageIds]),
      () => '1'.repeat(rng.pick([20, 400, 10_000])),
    ])();
    if (key === '__proto__') Object.assign(args, withProtoKey(value));
    else args[key] = value;
  }
  return args;
}

/** A plausible card value for an action: real ids mostly, so the hostile part reaches deep code. */
const PHASE_KINDS_OF: Array<[string, string[]]> = [
  ['pledge.progress', ['create']],
  ['pledge.report', ['create']],
  ['pledge.wall', ['pledge', 'create']],
  ['pledge.', ['pledge']],
  ['phase.', ['mobilize', 'create', 'commend', 'review']],
  ['assess.', ['declare', 'semester']],
  ['declare.', ['declare', 'semester']],
  ['review.', ['review']],
];

/** A phase id for an action: one open now and of the kind the action works on, mostly; else any. */
function phaseFor(rng: Rng, w: FuzzWorld, actionId: string): number | undefined {
  const kinds = PHASE_KINDS_OF.find(([prefix]) => actionId.startsWith(prefix))?.[1] ?? Object.keys(w.openPhases);
  const open = kinds.flatMap((k) => w.openPhases[k] ?? []);
  if (open.length && rng.chance(0.8)) return rng.pick(open);
  return w.ids.phases.length ? rng.pick(w.ids.phases) : undefined;
}

function plausibleArgs(rng: Rng, w: FuzzWorld, actionId = ''): Json {
  const args: Json = {};
  const phase = phaseFor(rng, w, actionId);
  if (phase !== undefined) args.p = String(phase);
  if (rng.chance(0.8) && w.ids.branches.length) args.b = String(rng.pick(w.ids.branches));
  if (rng.chance(0.3) && w.ids.members.length) args.m = String(rng.pick(w.ids.members));
  if (rng.chance(0.3) && w.ids.rounds.length) args.r = String(rng.pick(w.ids.rounds));
  if (rng.chance(0.3)) args.o = rng.pick(['member', 'branch']);
  if (rng.chance(0.3)) args.pg = rng.pick(w.pageIds);
  if (rng.chance(0.2)) args.page = String(rng.int(0, 3));
  if (rng.chance(0.2)) args.edit = '1';
  if (rng.chance(0.2)) args.on = rng.pick(['0', '1']);
  return args;
}

/** The form fields each submitting action reads, by name pattern. */
const FORM_FIELDS: Array<[RegExp, RegExp]> = [
  [/^pledge\.submit$/, /^(area|promise|due)_/],
  [/^pledge\.progress$/, /^(status|note)_\d/],
  [/^assess\.(page|submit)$/, /^(score|note|bonus|bonus_note|claim|veto)_/],
  [/^assess\.check$/, /^(grade|note)_[a-z]/],
  [/^declare\.submit$/, /^(post_kind|statement)$/],
  [/^review\.ballot$/, /^(grade|s\d|comment)_\d/],
  [/^review\.leader$/, /^(g_|strengths|problems|direction)/],
];

function formKeysFor(w: FuzzWorld, actionId: string): string[] {
  const pattern = FORM_FIELDS.find(([action]) => action.test(actionId))?.[1];
  const keys = pattern ? w.formKeys.filter((k) => pattern.test(k)) : [];
  return keys.length ? keys : w.formKeys;
}

function hostileForm(rng: Rng, w: FuzzWorld, actionId = ''): Json {
  const form: Json = {};
  const fields = formKeysFor(w, actionId);
  const n = rng.int(1, 24);
  for (let i = 0; i < n; i++) {
    const key = rng.chance(0.9) ? rng.pick(rng.chance(0.85) ? fields : w.formKeys) : rng.pick(['__proto__', 'constructor', 'toString', '', 'x'.repeat(1_000)]);
    const value = rng.chance(0.5)
      ? rng.pick(['服务师生', '每周走访宿舍楼', '2026-12-31', '2027-06-30', '5', '0', 'no', 'yes', 'excellent', 'qualified', '优秀', 'done'])
      : hostileValue(rng, w);
    if (key === '__proto__') Object.assign(form, withProtoKey(value));
    else form[key] = value;
  }
  return form;
}

/** Phase-bound actions whose phase kind is open at the world's clock (their handlers get past the phase checks). */
function liveActions(w: FuzzWorld): typeof defaultRegistry.actions {
  return defaultRegistry.actions.filter((a) => {
    const kinds = PHASE_KINDS_OF.find(([prefix]) => a.id.startsWith(prefix))?.[1];
    return kinds?.some((k) => (w.openPhases[k] ?? []).length > 0) ?? false;
  });
}

/** Actions that read a submitted form: these always get one. */
const FORM_ACTIONS = /submit|progress|check|ballot|^review\.leader$|page|confirm/;

function cardHostile(rng: Rng, w: FuzzWorld, index: number): FuzzCase {
  const eventId = eventIdFor(w, index);
  const live = liveActions(w);
  const action = rng.pick(live.length && rng.chance(0.7) ? live : defaultRegistry.actions);
  const variant = rng.pick([
    'v-toString',
    'v-hostile',
    'a-hostile',
    'args-hostile',
    'args-hostile',
    'form-hostile',
    'form-hostile',
    'form-hostile',
    'form-deep',
    'value-shape',
    'operator-missing',
    'operator-shape',
    'action-shape',
    'context-shape',
    'long-strings',
  ]);
  let value: Json = { a: action.id, v: action.v, ...plausibleArgs(rng, w, action.id) };
  let formValue: Json | undefined = FORM_ACTIONS.test(action.id) || rng.chance(0.3) ? hostileForm(rng, w, action.id) : undefined;
  let expect: readonly number[] = OK;
  switch (variant) {
    case 'v-toString':
      value.v = rng.pick<unknown>([{ toString: 1 }, { valueOf: null, toString: null }, { valueOf: 1, toString: 1 }, [{ toString: 1 }]]);
      break;
    case 'v-hostile':
      value.v = rng.pick<unknown>([
        [],
        [1],
        ['1'],
        [[1]],
        '1',
        ' 1',
        '1.0',
        '0x1',
        true,
        null,
        -1,
        1.0000000001,
        1e308,
        {},
        withProtoKey({ v: 1 }),
        hugeString(rng, '1'),
      ]);
      break;
    case 'a-hostile':
      value.a = rng.pick<unknown>([
        null,
        1,
        [action.id],
        { toString: 1 },
        `${action.id} `,
        action.id.toUpperCase(),
        '__proto__',
        'constructor',
        'toString',
        hugeString(rng),
      ]);
      break;
    case 'args-hostile':
      value = { ...value, ...hostileArgs(rng, w) };
      break;
    case 'form-hostile':
      formValue = hostileForm(rng, w, action.id);
      break;
    case 'form-deep':
      formValue = { [rng.pick(formKeysFor(w, action.id))]: deepValue(rng), [rng.pick(formKeysFor(w, action.id))]: 'x' };
      break;
    case 'value-shape': {
      const shaped = rng.pick<unknown>([
        null,
        [],
        [value],
        'pledge.submit',
        1,
        withProtoKey(value),
        { a: action.id, v: action.v, ...withProtoKey({ p: '1' }) },
      ]);
      const payload = cardActionEvent({ from: userFor(rng, w, action.access), eventId, value: {}, formValue });
      objectAt(objectAt(payload, 'event'), 'action').value = shaped;
      return caseOf('card-hostile', variant, sealed(rng, w, payload), OK, eventId);
    }
    default:
      break;
  }
  if (variant === 'long-strings') {
    for (const k of Object.keys(value)) if (k !== 'a' && k !== 'v') value[k] = `${String(value[k])}${'9'.repeat(rng.pick([100, 5_000]))}`;
    value.extra = hugeString(rng);
  }
  const from = userFor(rng, w, action.access);
  const payload = cardActionEvent({ from, eventId, value, formValue, chatId: rng.pick(['oc_p2p', ...w.chats.branches]) });
  const event = objectAt(payload, 'event');
  if (variant === 'operator-missing') {
    if (rng.chance(0.5)) delete event.operator;
    else delete objectAt(event, 'operator').open_id;
    expect = BAD_REQUEST;
  } else if (variant === 'operator-shape') {
    event.operator = rng.pick<unknown>([null, 'ou_a2', [], { open_id: 5 }, { open_id: ['ou_a2'] }, { open_id: { toString: 1 } }]);
    expect = BAD_REQUEST;
  } else if (variant === 'action-shape') {
    event.action = rng.pick<unknown>([null, [], 'button', { value: value, form_value: rng.pick<unknown>(['x', [], null, 1, [{ toString: 1 }]]) }, {}]);
  } else if (variant === 'context-shape') {
    event.context = rng.pick<unknown>([null, [], 'ctx', { open_message_id: 1, open_chat_id: { toString: 1 } }, { open_chat_id: hugeString(rng) }]);
    event.token = rng.pick<unknown>([null, 1, {}, '', hugeString(rng)]);
  }
  return caseOf('card-hostile', variant, sealed(rng, w, payload), expect, eventId);
}

function valid(rng: Rng, w: FuzzWorld, index: number): FuzzCase {
  const eventId = eventIdFor(w, index);
  const variant = rng.pick(['help-p2p', 'help-group', 'whoami', 'challenge', 'card-bind-cancel', 'card-open', 'plain-challenge-signed']);
  switch (variant) {
    case 'help-p2p':
      return caseOf(
        'valid',
        variant,
        sealed(rng, w, messageEvent({ from: rng.pick(w.users.members), text: rng.pick(['/帮助', '/help']), eventId })),
        OK,
        eventId,
      );
    case 'help-group':
      return caseOf(
        'valid',
        variant,
        sealed(
          rng,
          w,
          messageEvent({
            from: rng.pick(w.users.members),
            chatId: rng.pick(w.chats.branches),
            chatType: 'group',
            text: '@_user_1 /帮助',
            mentions: [BOT],
            eventId,
          }),
        ),
        OK,
        eventId,
      );
    case 'whoami':
      return caseOf('valid', variant, sealed(rng, w, messageEvent({ from: anyUser(rng, w) || 'ou_x', text: '/我是谁', eventId })), OK, eventId);
    case 'challenge':
      return caseOf('valid', variant, sealedUnsigned(rng, challenge(TEST_APP.verificationToken, `c-${rng.hex(4)}`)), OK);
    case 'card-bind-cancel':
      return caseOf(
        'valid',
        variant,
        sealed(rng, w, cardActionEvent({ from: rng.pick(w.users.admins), eventId, value: { a: 'bind.cancel', v: 1, branch: '测试支部' } })),
        OK,
        eventId,
      );
    case 'card-open': {
      const a = rng.pick(['pledge.open', 'assess.open', 'review.open', 'pledge.wall']);
      const value: Json = { a, v: 1, ...plausibleArgs(rng, w, a) };
      return caseOf('valid', variant, sealed(rng, w, cardActionEvent({ from: rng.pick(w.users.members), eventId, value, chatId: 'oc_p2p' })), OK, eventId);
    }
    default: {
      // A plaintext challenge that happens to carry a correct signature.
      const body = JSON.stringify(challenge(TEST_APP.verificationToken, `c-${rng.hex(4)}`));
      return caseOf('valid', variant, { body, headers: signedText(rng, body, String(w.nowSec)) }, OK);
    }
  }
}

const GENERATORS: Record<FuzzClass, (rng: Rng, w: FuzzWorld, index: number) => FuzzCase> = {
  'not-json': notJson,
  'json-not-object': jsonNotObject,
  'bad-signature': badSignature,
  'bad-timestamp': badTimestamp,
  'bad-token': badToken,
  'bad-encrypt': badEncrypt,
  'schema-garbage': schemaGarbage,
  'message-hostile': messageHostile,
  'card-hostile': cardHostile,
  valid,
};

/** How often each class comes up in one cycle: every class at least once, hostile handler input more often. */
const WEIGHTS: Record<FuzzClass, number> = {
  'not-json': 1,
  'json-not-object': 1,
  'bad-signature': 1,
  'bad-timestamp': 1,
  'bad-token': 1,
  'bad-encrypt': 1,
  'schema-garbage': 2,
  'message-hostile': 4,
  'card-hostile': 5,
  valid: 1,
};
const CYCLE: readonly FuzzClass[] = FUZZ_CLASSES.flatMap((cls) => Array<FuzzClass>(WEIGHTS[cls]).fill(cls));

export function classAt(index: number): FuzzClass {
  return CYCLE[index % CYCLE.length]!;
}

/** Case number `index` of a run: its class is fixed by the index, its content by the PRNG's state. */
export function generateCase(rng: Rng, world: FuzzWorld, index: number, cls: FuzzClass = classAt(index)): FuzzCase {
  return GENERATORS[cls](rng, world, index);
}

/** A card callback with the given value, encrypted and signed at the world's clock (for pinned cases). */
export function signedCardAction(rng: Rng, world: FuzzWorld, from: string, value: Json, eventId: string, formValue?: Json): FuzzCase {
  return caseOf('card-hostile', 'pinned', sealed(rng, world, cardActionEvent({ from, eventId, value, formValue, chatId: 'oc_p2p' })), OK, eventId);
}
