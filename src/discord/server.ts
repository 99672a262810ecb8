import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';

export async function runServer(_config: Config, log: Logger): Promise<void> {
  log.error('Discord transports are not built yet');
  process.exit(1);
}
