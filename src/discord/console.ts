// The local console: the same loader, dispatcher and commands as Discord, on the embedded store.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { userInfo } from 'node:os';
import {
  ComponentType, InteractionResponseType, InteractionType,
  type APIInteractionResponse, type APIMessage, type APIMessageComponentInteraction,
} from 'discord-api-types/v10';
import type { App } from '../app.ts';
import { ConsoleInputError, consoleMember, parseCommandLine, type ConsoleUser } from './console-parse.ts';
import { renderResponse, type RenderedButton, type RenderedSelect } from './console-render.ts';

export interface ConsoleIO {
  input: NodeJS.ReadableStream;
  /** Where the prompt and line editing show on a TTY. */
  output?: NodeJS.WritableStream;
  write(text: string): void;
  interactive: boolean;
}

export class ConsoleSession {
  private seq = 0;
  private lastMessage: { body: APIInteractionResponse; buttons: RenderedButton[]; selects: RenderedSelect[] } | undefined;
  readonly user: ConsoleUser;

  constructor(private readonly app: App, private readonly exportDir: string, locale = 'en-US') {
    this.user = { id: '100000000000000001', name: safeName(), locale, guildId: app.config.LOCAL_GUILD_ID };
  }

  /** Handles one line; returns the text to print. */
  async handle(line: string): Promise<string> {
    const text = line.trim();
    if (!text || text.startsWith('#')) return '';
    if (text.startsWith('!')) return this.meta(text.slice(1).trim());
    let interaction;
    try {
      interaction = parseCommandLine(text, this.app.dispatcher.commands.map((c) => c.data.toJSON()), this.user, ++this.seq);
    } catch (err) {
      if (err instanceof ConsoleInputError) return `⚠️ ${err.message}`;
      throw err;
    }
    const reply = await this.app.dispatcher.dispatch(interaction);
    return this.show(reply.body, reply.files ?? []);
  }

  private async show(body: APIInteractionResponse, files: { name: string; data: Buffer }[]): Promise<string> {
    const saved: { name: string }[] = [];
    for (const f of files) {
      await mkdir(this.exportDir, { recursive: true });
      const path = join(this.exportDir, f.name);
      await writeFile(path, f.data);
      saved.push({ name: `${f.name} → saved to ${path}` });
    }
    const { text, buttons, selects } = renderResponse(body, saved);
    if (body.type === InteractionResponseType.ChannelMessageWithSource || body.type === InteractionResponseType.UpdateMessage) {
      const isEphemeral = body.type === InteractionResponseType.ChannelMessageWithSource && (Number(body.data?.flags ?? 0) & 64) !== 0;
      // Keep the message the buttons live on (an ephemeral notice does not replace it).
      if (buttons.length || selects.length || !isEphemeral) this.lastMessage = { body, buttons, selects };
    }
    return text;
  }

  private async meta(cmd: string): Promise<string> {
    const [word, arg] = cmd.split(/\s+/);
    if (word === 'lang') {
      if (arg !== 'en-US' && arg !== 'zh-CN') return '⚠️ !lang takes en-US or zh-CN';
      this.user.locale = arg;
      return `Language: ${arg}`;
    }
    if (word === 'pick') return this.pick(Number(arg));
    const n = Number(word === 'press' ? arg : word);
    if (Number.isInteger(n)) return this.press(n);
    return 'Console commands: !N presses button N of the last message · !pick N chooses option N of its menu · !lang zh-CN|en-US · /help lists the bot\'s commands';
  }

  private async press(n: number): Promise<string> {
    const b = this.lastMessage?.buttons[n - 1];
    if (!b || !this.lastMessage) return `⚠️ there is no button ${n} on the last message`;
    if (b.disabled) return `⚠️ “${b.label}” is disabled`;
    return this.component({ custom_id: b.customId, component_type: ComponentType.Button });
  }

  private async pick(n: number): Promise<string> {
    const sel = this.lastMessage?.selects[0];
    const option = Number.isInteger(n) ? sel?.options[n - 1] : undefined;
    if (!sel || !option) return `⚠️ there is no option ${String(n)} in the last message's menu`;
    return this.component({ custom_id: sel.customId, component_type: ComponentType.StringSelect, values: [option.value] });
  }

  /** A component interaction on the last message, as Discord would send it. */
  private async component(data: { custom_id: string; component_type: ComponentType; values?: string[] }): Promise<string> {
    const body = this.lastMessage!.body as { data?: Partial<APIMessage> };
    const interaction = {
      id: String(1_000_000 + ++this.seq), application_id: '0', type: InteractionType.MessageComponent,
      token: `console-${this.seq}`, version: 1, locale: this.user.locale, guild_locale: this.user.locale,
      guild_id: this.user.guildId, channel_id: '0', app_permissions: '0', entitlements: [],
      authorizing_integration_owners: {}, context: 0, attachment_size_limit: 25 * 1024 * 1024,
      member: consoleMember(this.user),
      message: { id: '0', channel_id: '0', content: body.data?.content ?? '', embeds: body.data?.embeds ?? [], components: body.data?.components ?? [] },
      data,
    } as unknown as APIMessageComponentInteraction;
    const reply = await this.app.dispatcher.dispatch(interaction);
    return this.show(reply.body, reply.files ?? []);
  }
}

function safeName(): string {
  try {
    return userInfo().username || 'local-admin';
  } catch {
    return 'local-admin';
  }
}

/** Reads lines until end of input. On a TTY: prompt and history; piped: one line at a time, then exit. */
export async function runConsole(app: App, io: ConsoleIO, locale = 'en-US'): Promise<void> {
  const session = new ConsoleSession(app, resolve('var/exports'), locale);
  // Watch announcements print like messages posted in the channel.
  app.services.watcher.setNotifier(async (_channel, body) => {
    const { text } = renderResponse({ type: InteractionResponseType.ChannelMessageWithSource, data: body as never });
    io.write(text + '\n');
  });
  const rl = createInterface({
    input: io.input,
    ...(io.interactive && io.output ? { output: io.output } : {}),
    terminal: io.interactive,
    historySize: 500,
    crlfDelay: Infinity,
  });
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
      io.write('⚠️ internal error (see log)\n');
    }
    if (io.interactive) rl.prompt();
  }
}
