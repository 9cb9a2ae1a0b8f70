/** Channel-user ↔ interview-session bindings and what the message channels share: the public surface. */
export { type BindingCodes, codeInText, createBindingCodes, userKey } from './codes.js';
export { type ChannelNotesPort, type DeliveryBlocked, createAuditChannelNotes } from './notes.js';
export { type ChannelsContext, createChannelsContext } from './context.js';
export { channelsPlugin, type ChannelsPluginOptions } from './plugin.js';
export { committedReplyAfter, pendingPrompt, runChannelTurn } from './replies.js';
export { type BindingQrMaker, bindingRoutes } from './routes.js';
export { createPgBindingStore } from './store.pg.js';
export { type BindingStore, type ChannelBinding, createMemoryBindingStore } from './types.js';
