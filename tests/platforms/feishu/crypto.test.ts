// The test vectors of ../shared/platforms.md §D, against the adapter's own functions.
import { describe, expect, it } from 'vitest';
import { decryptFeishu } from '../../../bot/platforms/feishu/decrypt.js';
import { feishuSignature, verifySignature } from '../../../bot/platforms/feishu/verify.js';
import { BadRequestError, VerificationError } from '../../../bot/errors.js';
import { encryptFeishu } from '../../support/feishu-wire.js';

describe('Feishu decryption', () => {
  it('decrypts the official vector', () => {
    expect(decryptFeishu('P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=', 'test key')).toBe('hello world');
  });

  it('decrypts the zero-IV round-trip vector', () => {
    const vector = 'AAAAAAAAAAAAAAAAAAAAAD6N0hj9vF9ERgmsJVWf4XdSLLbFMTD3bWObfgjFzYm3//+9d1ojAOJwtW2vJPsQb39sGHkFQt5wRH6farMNL+t2Rv5j9HbR6ygIiFh8NX37';
    expect(decryptFeishu(vector, 'test key')).toBe('{"challenge":"ajls384kdjx98XX","token":"vtoken","type":"url_verification"}');
    expect(encryptFeishu('{"challenge":"ajls384kdjx98XX","token":"vtoken","type":"url_verification"}', 'test key', Buffer.alloc(16))).toBe(vector);
  });

  it('refuses a wrong key or garbage as a bad request', () => {
    expect(() => decryptFeishu('P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=', 'other key')).toThrow(BadRequestError);
    expect(() => decryptFeishu('bm90IGFlcw==', 'test key')).toThrow(BadRequestError);
  });
});

describe('Feishu signature', () => {
  const body = '{"encrypt":"P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk="}';
  const at = new Date(1700000000 * 1000);

  it('matches the documented vector', () => {
    expect(feishuSignature('1700000000', 'abc123', 'test key', body)).toBe('69c61fa99760d59824d588297c0036194769fb54331682c9cbcd93e85b9a8aad');
  });

  it('accepts the vector and refuses the body with one extra space', () => {
    const headers = {
      timestamp: '1700000000',
      nonce: 'abc123',
      signature: '69c61fa99760d59824d588297c0036194769fb54331682c9cbcd93e85b9a8aad',
    };
    expect(() => verifySignature(headers, body, 'test key', at)).not.toThrow();
    expect(() => verifySignature(headers, body.replace(':', ': '), 'test key', at)).toThrow(VerificationError);
  });

  it('refuses a replay far outside the freshness window', () => {
    const headers = {
      timestamp: '1700000000',
      nonce: 'abc123',
      signature: '69c61fa99760d59824d588297c0036194769fb54331682c9cbcd93e85b9a8aad',
    };
    const dayLater = new Date(at.getTime() + 24 * 3600_000);
    expect(() => verifySignature(headers, body, 'test key', dayLater)).toThrow(/too old/);
  });

  it('refuses a correctly signed request whose timestamp is not Unix seconds, or missing', () => {
    const ts = '2026-10-04 18:23:46.05 +0800 CST m=+3612.1';
    const signature = feishuSignature(ts, 'n', 'test key', body);
    expect(() => verifySignature({ timestamp: ts, nonce: 'n', signature }, body, 'test key', at)).toThrow(/not Unix seconds/);
    expect(() => verifySignature({ timestamp: undefined, nonce: 'n', signature }, body, 'test key', at)).toThrow(/missing/);
  });

  it("accepts the last of Feishu's retries (about 7.1 h late) but not a request from the future", () => {
    const sign = (t: Date) => {
      const ts = String(Math.floor(t.getTime() / 1000));
      return { timestamp: ts, nonce: 'n', signature: feishuSignature(ts, 'n', 'test key', body) };
    };
    const later = (ms: number) => new Date(at.getTime() + ms);
    expect(() => verifySignature(sign(at), body, 'test key', later(7.2 * 3600_000))).not.toThrow();
    expect(() => verifySignature(sign(at), body, 'test key', later(8.1 * 3600_000))).toThrow(/too old/);
    expect(() => verifySignature(sign(later(4 * 60_000)), body, 'test key', at)).not.toThrow();
    expect(() => verifySignature(sign(later(6 * 60_000)), body, 'test key', at)).toThrow(/future/);
  });
});
