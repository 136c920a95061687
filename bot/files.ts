// File messages are built when they are sent: a FileRef names what to build, a capability's port
// builds it. Here the core turns a ref into bytes (the ledger port is the one source so far).
import { PassThrough } from 'node:stream';
import type { PortDeps, Ports } from './ports.js';
import type { Attachment, FileRef } from './types.js';

export type FileSource = (ref: FileRef) => Promise<Attachment | null>;

/** Platform upload limits are around 30 MB (Feishu); a larger file goes out as its link. */
export const MAX_ATTACHMENT_BYTES = 30 * 1024 * 1024;

export function fileSource(ports: Ports, deps: PortDeps): FileSource {
  return async (ref) => {
    if (!ref.ledger || !ports.ledger) return null;
    // The grant's expiry is the link's; a file message is built once, now.
    const file = await ports.ledger.file(deps, { ...ref.ledger, expiresAt: new Date(deps.clock.now().getTime() + 60_000) });
    if (!file) return null;
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    let size = 0;
    out.on('data', (c: Buffer) => {
      size += c.length;
      chunks.push(c);
    });
    const ended = new Promise<void>((resolve, reject) => {
      out.on('end', resolve);
      out.on('error', reject);
    });
    await Promise.all([file.write(out), ended]);
    return size > MAX_ATTACHMENT_BYTES ? null : { fileName: file.fileName, bytes: Buffer.concat(chunks) };
  };
}
