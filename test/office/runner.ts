// Shared by the office's command tests (test/freshness/commands.test.ts, test/office/report.test.ts): the
// demo app on a temp store for one server, and command lines run through its dispatcher as a curator
// (Manage Server) or as a member without permissions.
import type { APIInteraction } from 'discord-api-types/v10';
import type { App } from '../../src/app.ts';
import { parseCommandLine } from '../../src/discord/console-parse.ts';
import type { Reply } from '../../src/interactions/reply.ts';
import { demoApp } from '../support.ts';

export interface Who { id: string; name: string; locale: string; guildId: string }

export interface Runner {
  app: App;
  curator: Who;
  member: Who;
  /** The interaction a command line (console syntax) makes, as `who` (default: the curator); throws on bad input. */
  interaction(line: string, who?: Who): APIInteraction;
  /** Runs a command line through the dispatcher. */
  run(line: string, who?: Who): Promise<Reply>;
  close(): Promise<void>;
}

export async function demoRunner(guildId: string, curatorLocale = 'en-US'): Promise<Runner> {
  const { app, defs, close } = await demoApp(guildId);
  const curator = { id: '100000000000000001', name: 'curator', locale: curatorLocale, guildId };
  const member = { id: '100000000000000002', name: 'member', locale: 'en-US', guildId };
  let seq = 0;
  const interaction = (line: string, who: Who = curator) => {
    const i = parseCommandLine(line, defs, who, ++seq) as unknown as { member: { permissions: string } };
    if (who === member) i.member.permissions = '0';
    return i as unknown as APIInteraction;
  };
  return { app, curator, member, interaction, run: (line, who) => app.dispatcher.dispatch(interaction(line, who)), close };
}
