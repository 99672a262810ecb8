// Downloads of user-supplied files: only from allowed hosts, never more than the size cap.
import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { UserError } from '../domain/errors.ts';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function createAttachmentFetcher(allowedHosts: readonly string[], opts: { allowFiles?: boolean } = {}) {
  return async function fetchAttachment(url: string, maxBytes: number): Promise<string> {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new UserError('error.attachmentFetch', { reason: url });
    }
    if (u.protocol === 'file:' && opts.allowFiles) {
      const path = fileURLToPath(u);
      const st = await stat(path).catch(() => undefined);
      if (!st) throw new UserError('error.noSuchFile', { path });
      if (st.isDirectory()) throw new UserError('error.importNotFile', { name: path });
      const size = st.size;
      if (size > maxBytes) throw new UserError('error.attachmentTooLarge', { size, max: maxBytes });
      return readFile(path, 'utf8');
    }
    const hostOk = allowedHosts.includes(u.host.toLowerCase()) || allowedHosts.includes(u.hostname.toLowerCase());
    const schemeOk = u.protocol === 'https:' || (u.protocol === 'http:' && LOOPBACK.has(u.hostname));
    if (!hostOk || !schemeOk) throw new UserError('error.attachmentHost', { host: u.host });
    let res: Response;
    try {
      res = await fetch(u, { redirect: 'error', signal: AbortSignal.timeout(10_000) });
    } catch (err) {
      throw new UserError('error.attachmentFetch', { reason: (err as Error).message });
    }
    if (!res.ok || !res.body) throw new UserError('error.attachmentFetch', { reason: `HTTP ${res.status}` });
    const declared = Number(res.headers.get('content-length') ?? 0);
    if (declared > maxBytes) throw new UserError('error.attachmentTooLarge', { size: declared, max: maxBytes });
    const chunks: Uint8Array[] = [];
    let total = 0;
    for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
      total += chunk.byteLength;
      if (total > maxBytes) throw new UserError('error.attachmentTooLarge', { size: `>${maxBytes}`, max: maxBytes });
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
  };
}
