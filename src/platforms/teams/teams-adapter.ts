import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  type Activity,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import type { Logger } from '../../logger.ts';

export interface TeamsCredentials {
  MicrosoftAppId?: string;
  MicrosoftAppPassword?: string;
  MicrosoftAppType?: string;
  MicrosoftAppTenantId?: string;
}

/**
 * CloudAdapter that takes an already parsed activity. Its own `process()` expects an express-style
 * request, logs failures with console.error and throws on malformed bodies; our server reads the body
 * (with the size limit) and maps errors itself, so it calls processActivity directly.
 */
export class TeamsAdapter extends CloudAdapter {
  handleActivity(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic);
  }
}

export function createTeamsAdapter(credentials: TeamsCredentials, log: Logger, openIdOverrides: Record<string, string> = {}): TeamsAdapter {
  const options = {
    MicrosoftAppId: credentials.MicrosoftAppId ?? '',
    MicrosoftAppPassword: credentials.MicrosoftAppPassword ?? '',
    MicrosoftAppType: credentials.MicrosoftAppType ?? (credentials.MicrosoftAppId ? 'SingleTenant' : ''),
    MicrosoftAppTenantId: credentials.MicrosoftAppTenantId ?? '',
    ...openIdOverrides,
  };
  const auth = new ConfigurationBotFrameworkAuthentication(options, new ConfigurationServiceClientCredentialFactory(options));
  const adapter = new TeamsAdapter(auth);
  adapter.onTurnError = async (context, error) => {
    log.error({ err: error, platform: 'teams', conversationId: context.activity.conversation?.id }, 'teams turn failed');
  };
  return adapter;
}
