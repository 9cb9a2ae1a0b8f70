/** The Bot Framework app registration, from the environment; without a client id the endpoint is anonymous. */
import { z } from 'zod';
import type { BotFrameworkAuth } from './routes.js';

const Schema = z.object({
  WEIDAI_BOTFRAMEWORK_CLIENT_ID: z.string().optional(),
  WEIDAI_BOTFRAMEWORK_CLIENT_SECRET: z.string().optional(),
  WEIDAI_BOTFRAMEWORK_TENANT_ID: z.string().optional(),
});

export function loadBotFrameworkAuth(env: Record<string, string | undefined>): BotFrameworkAuth {
  const e = Schema.parse(env);
  return {
    clientId: e.WEIDAI_BOTFRAMEWORK_CLIENT_ID || undefined,
    clientSecret: e.WEIDAI_BOTFRAMEWORK_CLIENT_SECRET || undefined,
    tenantId: e.WEIDAI_BOTFRAMEWORK_TENANT_ID || undefined,
  };
}
