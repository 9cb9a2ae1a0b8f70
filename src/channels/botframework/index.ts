/** The Bot Framework activity channel: its public surface. */
export {
  type BotFrameworkChannel,
  type BotFrameworkChannelDeps,
  createBotFrameworkChannel,
} from './channel.js';
export { loadBotFrameworkAuth } from './config.js';
export { type BotFrameworkAuth, type BotFrameworkRoutesOptions, botFrameworkRoutes } from './routes.js';
export { type ActivityIn, type ActivityOut, readActivity, toActivities } from './translate.js';
