// deploy-commands: registers every command in commands/ with Discord (bulk overwrite), globally or
// in one guild (guild commands update instantly; global ones can take a while to show).
import { DiscordAPIError, REST } from 'discord.js';
import { Routes } from 'discord-api-types/v10';
import { ConfigError, type Config } from '../config.ts';
import { loadCommands } from '../interactions/loader.ts';

const SNOWFLAKE = /^\d{5,25}$/;

/** The JSON Discord receives: one entry per command module. */
export async function commandsJson() {
  return (await loadCommands()).map((c) => c.data.toJSON());
}

/** PUTs all commands; returns how many Discord now has registered. */
export async function deployCommands(config: Config, guild?: string): Promise<number> {
  if (!config.DISCORD_TOKEN) {
    throw new ConfigError('deploy-commands needs DISCORD_TOKEN (Developer Portal → your application → Bot → Reset Token); set it in .env.');
  }
  if (!config.DISCORD_APPLICATION_ID) {
    throw new ConfigError('deploy-commands needs DISCORD_APPLICATION_ID (Developer Portal → your application → General Information → Application ID); set it in .env.');
  }
  if (guild !== undefined && !SNOWFLAKE.test(guild)) {
    throw new ConfigError(`--guild must be a numeric server id (right-click the server → Copy Server ID), not "${guild}".`);
  }
  const body = await commandsJson();
  const rest = new REST({ api: config.DISCORD_API_URL }).setToken(config.DISCORD_TOKEN);
  const route = guild
    ? Routes.applicationGuildCommands(config.DISCORD_APPLICATION_ID, guild)
    : Routes.applicationCommands(config.DISCORD_APPLICATION_ID);
  try {
    const registered = await rest.put(route, { body });
    return Array.isArray(registered) ? registered.length : body.length;
  } catch (err) {
    if (err instanceof DiscordAPIError) {
      const hint = err.status === 401 ? ' (is DISCORD_TOKEN the bot token of this application?)'
        : err.status === 403 || err.code === 50001 ? ' (is the bot in that server, invited with the applications.commands scope?)'
          : '';
      throw new Error(`Discord refused the commands: HTTP ${err.status} ${err.code} ${err.message}${hint}`, { cause: err });
    }
    throw err;
  } finally {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  }
}
