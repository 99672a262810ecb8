// The local console: the same loader, dispatcher and commands as Discord, on the embedded store.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { userInfo } from 'node:os';
import {
  ComponentType, InteractionResponseType, InteractionType,
  type APIInteractionResponse, type APIMessage, type APIMessageComponentInteraction, type APIModalInteractionResponse,
  type APIModalSubmitInteraction, type RESTPostAPIChannelMessageJSONBody,
} from 'discord-api-types/v10';
import type { App } from '../app.ts';
import type { Outbox } from '../office/outbox.ts';
import { localeOf, translate, type Locale, type MessageKey, type Vars } from '../i18n/index.ts';
import { CONSOLE_NAMES, ConsoleInputError, consoleId, consoleMember, parseCommandLine, type ConsoleUser } from './console-parse.ts';
import { formFields, renderResponse, type RenderedButton, type RenderedSelect } from './console-render.ts';

export interface ConsoleIO {
  input: NodeJS.ReadableStream;
  /** Where the prompt and line editing show on a TTY. */
  output?: NodeJS.WritableStream;
  write(text: string): void;
  interactive: boolean;
}

/** Asks one question on the terminal; undefined when input ended. */
export type Ask = (question: string) => Promise<string | undefined>;

export class ConsoleSession {
  private seq = 0;
  private lastMessage: { body: APIInteractionResponse; buttons: RenderedButton[]; selects: RenderedSelect[]; dm?: boolean } | undefined;
  /** Set when the bot printed a message with buttons (a DM, a thread brief) while handling the line. */
  private printedButtons = false;
  user: ConsoleUser;
  /** The local admin the console starts as (`!as admin` comes back to it). */
  private readonly admin: ConsoleUser;
  /** The commands' definitions, serialised once (they never change while running). */
  private definitions?: ReturnType<App['dispatcher']['commands'][number]['data']['toJSON']>[];

  /** With `ask` (a terminal), forms are filled in field by field; without, the console explains. */
  constructor(private readonly app: App, private readonly exportDir: string, locale = 'en-US', private readonly ask?: Ask) {
    this.admin = { id: '100000000000000001', name: safeName(), locale, guildId: app.config.LOCAL_GUILD_ID };
    this.user = this.admin;
  }

  private get locale(): Locale {
    return localeOf(this.user.locale);
  }

  private t(key: MessageKey, vars?: Vars): string {
    return translate(this.locale, key, vars);
  }

  /** Renders a response as this user reads it (their language, their name for their mentions). */
  render(body: APIInteractionResponse, files: { name: string }[] = []) {
    return renderResponse(body, files, { locale: this.locale, names: { ...Object.fromEntries(CONSOLE_NAMES), [this.admin.id]: this.admin.name, [this.user.id]: this.user.name } });
  }

  /** Handles one line; returns the text to print. */
  async handle(line: string): Promise<string> {
    const text = line.trim();
    if (!text || text.startsWith('#')) return '';
    if (text.startsWith('!')) return this.meta(text.slice(1).trim());
    let interaction;
    try {
      this.definitions ??= this.app.dispatcher.commands.map((c) => c.data.toJSON());
      interaction = parseCommandLine(text, this.definitions, this.user, ++this.seq);
    } catch (err) {
      if (err instanceof ConsoleInputError) return `⚠️ ${this.t(err.key, err.vars)}`;
      throw err;
    }
    this.printedButtons = false;
    const reply = await this.app.dispatcher.dispatch(interaction);
    return this.show(reply.body, reply.files ?? []);
  }

  /** A message the bot posts on its own (DM, channel, thread), printed under a header; its buttons become pressable. */
  printPosted(header: string, body: RESTPostAPIChannelMessageJSONBody, dm: boolean, files: { name: string }[] = []): string {
    const response = { type: InteractionResponseType.ChannelMessageWithSource, data: body } as APIInteractionResponse;
    const { text, buttons, selects } = this.render(response, files);
    if (buttons.length || selects.length) {
      this.lastMessage = { body: response, buttons, selects, dm };
      this.printedButtons = true;
    }
    return `${header}\n${text.split('\n').map((l) => `  ${l}`).join('\n')}`;
  }

  private async show(body: APIInteractionResponse, files: { name: string; data: Buffer }[]): Promise<string> {
    const saved: { name: string }[] = [];
    for (const f of files) {
      await mkdir(this.exportDir, { recursive: true });
      const path = join(this.exportDir, f.name);
      await writeFile(path, f.data);
      saved.push({ name: this.t('console.saved', { name: f.name, path }) });
    }
    if (body.type === InteractionResponseType.Modal) return this.form(body);
    const { text, buttons, selects } = this.render(body, saved);
    if (body.type === InteractionResponseType.ChannelMessageWithSource || body.type === InteractionResponseType.UpdateMessage) {
      const isEphemeral = body.type === InteractionResponseType.ChannelMessageWithSource && (Number(body.data?.flags ?? 0) & 64) !== 0;
      // Keep the message the buttons live on (an ephemeral notice does not replace it).
      // …nor does an answer without buttons replace a DM or thread message the bot just printed.
      if (buttons.length || selects.length || (!isEphemeral && !this.printedButtons)) this.lastMessage = { body, buttons, selects };
    }
    return text;
  }

  /** `!sweep [DAYS]`: runs the office's sweep (reminders, expiry, digests) as of DAYS from now. */
  private async sweep(arg: string | undefined): Promise<string> {
    const days = arg === undefined ? 0 : Number(arg);
    if (!Number.isInteger(days) || days < 0 || days > 3650) return `⚠️ ${this.t('console.sweepUsage')}`;
    const at = new Date(Date.now() + days * 86_400_000);
    const r = await this.app.sweeper.sweepGuild(this.app.services.directory.guild(this.user.guildId), at);
    const ids = (list: string[]) => (list.length ? list.slice(0, 8).join(', ') + (list.length > 8 ? ` … (+${list.length - 8})` : '') : '—');
    return this.t('console.swept', { date: at.toISOString().slice(0, 10), reminded: ids(r.reminded), expired: ids(r.expired) });
  }

  /** A form: on a terminal, asked field by field and submitted as Discord would; otherwise explained. */
  private async form(body: APIModalInteractionResponse): Promise<string> {
    const { text } = this.render(body);
    if (!this.ask) return `${text}\n  ${this.t('console.formPiped')}`;
    const values: { id: string; value: string }[] = [];
    const asked = [text, this.t('console.formPrompt')];
    let first = true;
    for (const f of formFields(body)) {
      const shown = f.value ? ` [${f.value.length > 60 ? f.value.slice(0, 60) + '…' : f.value}]` : '';
      const answer = await this.ask(`${first ? asked.join('\n') + '\n' : ''}  ${f.label}${f.required ? '*' : ''}${shown}: `);
      first = false;
      if (answer === undefined) return this.t('console.formCancelled');
      const value = answer.trim() === '' ? f.value ?? '' : answer.trim();
      if (f.required && !value) return this.t('console.formCancelled');
      values.push({ id: f.id, value });
    }
    const interaction = {
      ...this.base(), type: InteractionType.ModalSubmit,
      data: {
        custom_id: body.data.custom_id,
        components: values.map((v) => ({ type: ComponentType.ActionRow, components: [{ type: ComponentType.TextInput, custom_id: v.id, value: v.value }] })),
      },
    } as unknown as APIModalSubmitInteraction;
    const reply = await this.app.dispatcher.dispatch(interaction);
    return this.show(reply.body, reply.files ?? []);
  }

  private async meta(cmd: string): Promise<string> {
    const [word, arg] = cmd.split(/\s+/);
    if (word === 'lang') {
      if (arg !== 'en-US' && arg !== 'zh-CN') return `⚠️ ${this.t('console.langUsage')}`;
      this.user.locale = arg;
      return this.t('console.lang', { locale: arg });
    }
    if (word === 'pick') return this.pick(Number(arg));
    if (word === 'act') return this.pick(Number(arg), 'match:act');
    if (word === 'as') return this.switchUser(arg);
    if (word === 'sweep') return this.sweep(arg);
    const n = Number(word === 'press' ? arg : word);
    if (Number.isInteger(n)) return this.press(n);
    return this.t('console.help');
  }

  private async press(n: number): Promise<string> {
    const b = this.lastMessage?.buttons[n - 1];
    if (!b || !this.lastMessage) return `⚠️ ${this.t('console.noButton', { n })}`;
    if (b.disabled) return `⚠️ ${this.t('console.disabled', { label: b.label })}`;
    return this.component({ custom_id: b.customId, component_type: ComponentType.Button });
  }

  /** `!as wang`: act as a plain member named wang (a stable id); `!as admin`: back to the local admin. */
  private switchUser(name: string | undefined): string {
    if (!name) return `⚠️ ${this.t('console.asUsage')}`;
    const locale = this.user.locale;
    this.user = name === 'admin' || name === this.admin.name
      ? { ...this.admin, locale }
      : { id: consoleId(name), name, locale, guildId: this.admin.guildId, member: true };
    return this.t(this.user.member ? 'console.asMember' : 'console.asAdmin', { name: this.user.name });
  }

  /** Picks the option shown with number n (a results menu numbers options as the results are numbered). */
  private async pick(n: number, customId?: string): Promise<string> {
    const sel = customId ? this.lastMessage?.selects.find((s) => s.customId === customId) : this.lastMessage?.selects[0];
    const option = Number.isInteger(n) ? sel?.options.find((o) => o.n === n) : undefined;
    if (!sel || !option) return `⚠️ ${this.t('console.noOption', { n: String(n) })}`;
    return this.component({ custom_id: sel.customId, component_type: ComponentType.StringSelect, values: [option.value] });
  }

  /** The fields every interaction from this console carries. */
  private base() {
    const seq = ++this.seq;
    return {
      id: String(1_000_000 + seq), application_id: '0', token: `console-${seq}`, version: 1,
      locale: this.user.locale, guild_locale: this.user.locale, guild_id: this.user.guildId, channel_id: '0', app_permissions: '0',
      entitlements: [], authorizing_integration_owners: {}, context: 0, attachment_size_limit: 25 * 1024 * 1024,
      member: consoleMember(this.user),
    };
  }

  /** A component interaction on the last message, as Discord would send it (from a DM: no guild, no member). */
  private async component(data: { custom_id: string; component_type: ComponentType; values?: string[] }): Promise<string> {
    const body = this.lastMessage!.body as { data?: Partial<APIMessage> };
    const base = this.base();
    const { guild_id: _g, guild_locale: _l, member, ...dmBase } = base;
    const where = this.lastMessage!.dm ? { ...dmBase, user: member.user, context: 1 } : base;
    const interaction = {
      ...where, type: InteractionType.MessageComponent,
      message: { id: '0', channel_id: '0', content: body.data?.content ?? '', embeds: body.data?.embeds ?? [], components: body.data?.components ?? [] },
      data,
    } as unknown as APIMessageComponentInteraction;
    this.printedButtons = false;
    const reply = await this.app.dispatcher.dispatch(interaction);
    return this.show(reply.body, reply.files ?? []);
  }
}

/** DMs, channel posts and private threads printed as such; thread ids are made up, names kept for mentions. */
function consoleOutbox(session: ConsoleSession, io: ConsoleIO): Outbox {
  let threads = 0;
  const t = (k: MessageKey, v?: Vars) => translate(localeOf(session.user.locale), k, v);
  const name = (id: string) => CONSOLE_NAMES.get(id) ?? (id === session.user.id ? session.user.name : id);
  return {
    async dm(user, body, files) {
      io.write(session.printPosted(`✉️  ${t('console.dmTo', { name: name(user) })}`, body, true, files) + '\n');
      return true;
    },
    async post(channel, body, files) {
      io.write(session.printPosted(`💬 ${t('console.postIn', { name: name(channel) })}`, body, false, files) + '\n');
    },
    async privateThread(channel, threadName) {
      const id = String(4_000_000_000_000_000_000n + BigInt(++threads));
      CONSOLE_NAMES.set(id, threadName);
      io.write(`🧵 ${t('console.threadOpened', { name: threadName, channel: name(channel) })}\n`);
      return id;
    },
    async addThreadMember(thread, user) {
      io.write(`   ${t('console.threadMember', { name: name(user), thread: name(thread) })}\n`);
    },
  };
}

function safeName(): string {
  try {
    return userInfo().username || 'local-admin';
  } catch {
    return 'local-admin';
  }
}

/** Reads lines until end of input. On a TTY: prompt, history and forms; piped: one line at a time, then exit. */
export async function runConsole(app: App, io: ConsoleIO, locale = 'en-US'): Promise<void> {
  const rl = createInterface({
    input: io.input,
    ...(io.interactive && io.output ? { output: io.output } : {}),
    terminal: io.interactive,
    historySize: 500,
    crlfDelay: Infinity,
  });
  let closed = false;
  rl.once('close', () => (closed = true));
  const ask: Ask | undefined = io.interactive
    ? (q) => (closed ? Promise.resolve(undefined) : new Promise((resolve) => {
      rl.once('close', () => resolve(undefined));
      rl.question(q, resolve);
    }))
    : undefined;
  const session = new ConsoleSession(app, resolve('var/exports'), locale, ask);
  // Watch announcements print like messages posted in the channel.
  app.services.watcher.setNotifier(async (_channel, body) => {
    const { text } = session.render({ type: InteractionResponseType.ChannelMessageWithSource, data: body as never });
    io.write(text + '\n');
  });
  // The bot's DMs, channel posts and threads (introductions, reminders, digests) print as such.
  const outbox = consoleOutbox(session, io);
  app.services.intros.setOutbox(outbox, { sweepMs: 0 });
  app.sweeper.setOutbox(outbox);
  app.services.watcher.setOutbox(outbox);
  if (io.interactive) {
    rl.setPrompt('liaison> ');
    rl.prompt();
  }
  for await (const line of rl) {
    try {
      const out = await session.handle(line);
      if (out) io.write(out + '\n');
      await app.services.watcher.flush(app.services.directory, [session.user.guildId]);
    } catch (err) {
      app.services.log.error('console command failed', { err, line });
      io.write(`⚠️ ${translate(localeOf(session.user.locale), 'console.internal')}\n`);
    }
    if (io.interactive) rl.prompt();
  }
}
