// AES-256-CBC decryption of Feishu's {"encrypt": "..."} bodies (key = SHA-256 of the Encrypt Key).
import { createDecipheriv, createHash } from 'node:crypto';
import { BadRequestError } from '../../errors.js';

export function decryptFeishu(encrypted: string, encryptKey: string): string {
  const key = createHash('sha256').update(encryptKey, 'utf8').digest();
  const buf = Buffer.from(encrypted, 'base64');
  if (buf.length < 32 || (buf.length - 16) % 16 !== 0) {
    throw new BadRequestError('encrypt field is not AES-CBC data');
  }
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, buf.subarray(0, 16));
    return Buffer.concat([decipher.update(buf.subarray(16)), decipher.final()]).toString('utf8');
  } catch {
    throw new BadRequestError('cannot decrypt body (wrong Encrypt Key?)');
  }
}
