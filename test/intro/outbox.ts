// An Outbox that records what the bot would send, with closable DMs (as Discord's 50007).
import type { OutFile } from '../../src/interactions/reply.ts';
import type { OutMessage, Outbox } from '../../src/office/outbox.ts';

export class RecordingOutbox implements Outbox {
  readonly dms = new Map<string, OutMessage[]>();
  readonly posts: { channel: string; body: OutMessage; files: OutFile[] }[] = [];
  readonly threads: { id: string; channel: string; name: string; members: string[] }[] = [];
  readonly closed = new Set<string>();

  async dm(user: string, body: OutMessage): Promise<boolean> {
    if (this.closed.has(user)) return false;
    this.dms.set(user, [...(this.dms.get(user) ?? []), body]);
    return true;
  }

  async post(channel: string, body: OutMessage, files: OutFile[] = []): Promise<void> {
    this.posts.push({ channel, body, files });
  }

  async privateThread(channel: string, name: string): Promise<string> {
    const id = String(600000000000000000n + BigInt(this.threads.length + 1));
    this.threads.push({ id, channel, name, members: [] });
    return id;
  }

  async addThreadMember(thread: string, user: string): Promise<void> {
    this.threads.find((t) => t.id === thread)!.members.push(user);
  }

  dmsTo(user: string): OutMessage[] {
    return this.dms.get(user) ?? [];
  }

  postsIn(channel: string): OutMessage[] {
    return this.posts.filter((p) => p.channel === channel).map((p) => p.body);
  }
}

/** Custom ids of a posted message's components. */
export const idsOf = (m: OutMessage | undefined): string[] =>
  ((m?.components ?? []) as { components: { custom_id?: string }[] }[]).flatMap((r) => r.components.map((c) => c.custom_id ?? ''));

/** Every text of a posted message. */
export const textOfPost = (m: OutMessage | undefined): string =>
  [m?.content ?? '', ...(m?.embeds ?? []).flatMap((e) => [e.title ?? '', e.description ?? '', ...(e.fields ?? []).flatMap((f) => [f.name, f.value])])].join('\n');
