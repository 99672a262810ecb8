// deploy-commands: registers every command in commands/ with Discord (bulk overwrite), globally or
// in one guild (guild commands update instantly; global ones can take a while to show).
import { DiscordAPIError, REST } from 'discord.js';
import { Routes } from 'discord-api-types/v10';
import { ConfigError, localeFromEnv, type Config } from '../config.ts';
import { translate, type MessageKey, type Vars } from '../i18n/index.ts';
import { loadCommands } from '../interactions/loader.ts';
import { PlainError } from '../startup.ts';

const SNOWFLAKE = /^\d{5,25}$/;

/** The JSON Discord receives: one entry per command module. */
export async function commandsJson() {
  return (await loadCommands()).map((c) => c.data.toJSON());
}

/** PUTs all commands; returns how many Discord now has registered. */
export async function deployCommands(config: Config, guild?: string): Promise<number> {
  const t = (k: MessageKey, v?: Vars) => translate(localeFromEnv(), k, v);
  if (!config.DISCORD_TOKEN) throw new ConfigError(t('deploy.needsToken'));
  if (!config.DISCORD_APPLICATION_ID) throw new ConfigError(t('deploy.needsApplication'));
  if (guild !== undefined && !SNOWFLAKE.test(guild)) throw new ConfigError(t('cli.badSnowflake', { guild }));
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
      const text = err.status === 401 ? t('deploy.refused401')
        : err.status === 403 || err.code === 50001 ? t('deploy.refused403', { status: err.status })
          : t('deploy.refused', { status: err.status, detail: `${err.code} ${err.message}` });
      throw new PlainError(text, { cause: err });
    }
    throw err;
  } finally {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  }
}
