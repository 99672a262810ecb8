import type { MessageKey, Vars } from '../i18n/index.ts';

/**
 * An expected failure the user caused and can fix. The dispatcher shows its message
 * (in the user's language) ephemerally; `details` carries untranslated specifics such as
 * validation lines naming the entry and field.
 */
export class UserError extends Error {
  readonly key: MessageKey;
  readonly vars: Vars;
  readonly details: readonly string[];

  constructor(key: MessageKey, vars: Vars = {}, details: readonly string[] = []) {
    super(`${key} ${JSON.stringify(vars)}${details.length ? '\n' + details.join('\n') : ''}`);
    this.name = 'UserError';
    this.key = key;
    this.vars = vars;
    this.details = details;
  }
}
