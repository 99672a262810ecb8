// Discord's limits, in one place; tests import these rather than repeat the numbers.
export const DISCORD_LIMITS = {
  autocompleteChoices: 25,
  choiceName: 100,
  choiceValue: 100,
  optionValue: 100,
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  embedFieldName: 256,
  embedFieldValue: 1024,
  embedFooter: 2048,
  embedTotal: 6000,
  embedsPerMessage: 10,
  buttonLabel: 80,
  customId: 100,
  componentsPerRow: 5,
  rows: 5,
  modalTitle: 45,
  textInputLabel: 45,
  textInputValue: 4000,
  textInputPlaceholder: 100,
  /** Upload limit when an interaction does not say (servers without boosts). */
  uploadBytes: 10 * 1024 * 1024,
  selectOptions: 25,
  selectLabel: 100,
  selectPlaceholder: 150,
  /** Time Discord allows for the first response to an interaction. */
  replyDeadlineMs: 3000,
  /** We defer when work has not finished by then, leaving margin for the network. */
  deferAfterMs: 2000,
  /** Follow-ups and edits through the interaction webhook are accepted this long. */
  tokenLifetimeMs: 15 * 60 * 1000,
} as const;

export const PERMISSIONS = {
  administrator: 1n << 3n,
  manageGuild: 1n << 5n,
  // The office channel (checked by /config office-channel): Discord's bit positions.
  viewChannel: 1n << 10n,
  sendMessages: 1n << 11n,
  manageThreads: 1n << 34n,
  createPrivateThreads: 1n << 36n,
  sendMessagesInThreads: 1n << 38n,
} as const;
