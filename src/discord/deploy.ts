import type { Config } from '../config.ts';

export async function deployCommands(_config: Config, _guild?: string): Promise<number> {
  throw new Error('deploy-commands is not built yet');
}
