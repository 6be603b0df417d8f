import type { ConversationSettingsStore } from '../conversations/conversation-settings.ts';
import { createSubscriptionCommands } from '../notifications/subscribe.command.ts';
import type { SubscriptionDirectory } from '../notifications/subscriptions.ts';
import { createRequestRelationshipCommand, type InvitationDependencies } from '../relationships/request-relationship.command.ts';
import type { Command } from './command.ts';
import type { Playbook } from '../restoration/playbook.ts';
import { createRestoreCommand } from '../restoration/restore.command.ts';
import type { CustomerLedger } from '../customers/customer-ledger.ts';
import { createHistoryCommand } from '../customers/history.command.ts';
import { createPendingCommand } from '../customers/pending.command.ts';
import type { StatusDirectory } from '../customers/one-customer.ts';
import { createStatusCommand } from '../customers/status.command.ts';
import { createHelpCommand } from './help.command.ts';
import { createLanguageCommand } from './language.command.ts';

export interface CommandDependencies {
  settings: ConversationSettingsStore;
  invitations: InvitationDependencies;
  subscriptions: SubscriptionDirectory;
  directory: StatusDirectory;
  ledger: CustomerLedger;
  /** The restoration playbook; without it (tests of other commands) `restore` is not offered. */
  restoration?: { playbook: Playbook; partnerName: string };
}

/** Every command the bot runs, in the order `help` lists them. Only implemented commands are here. */
export function createCommandRegistry(deps: CommandDependencies): readonly Command[] {
  const commands: Command[] = [];
  commands.push(
    createHelpCommand(() => commands),
    createRequestRelationshipCommand(deps.invitations),
    ...createSubscriptionCommands(deps.subscriptions),
    createStatusCommand(deps.directory, deps.ledger),
    ...(deps.restoration ? [createRestoreCommand(deps.restoration.playbook, deps.directory, deps.restoration.partnerName)] : []),
    createPendingCommand(deps.invitations.requests, deps.ledger),
    createHistoryCommand(deps.directory, deps.ledger, deps.restoration?.playbook ?? { get: async () => undefined }),
    createLanguageCommand(deps.settings),
  );
  return commands;
}
