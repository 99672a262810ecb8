import { entryCommand } from '../src/views/entry-command.ts';

export const { data, execute, autocomplete, component, modal } = entryCommand('need');
