import { createCommandRegistry } from '../../../src/core/commands/command-registry.ts';
import type { Command } from '../../../src/core/commands/command.ts';

/**
 * The commands the bot registers — as the running bot does, restoration playbook included — which the
 * manifests must list. The factories only keep their dependencies for later, so names, usages and flags
 * can be read without a store or Partner Center.
 */
export function registeredCommands(): readonly Command[] {
  return createCommandRegistry({ invitations: {}, restoration: { playbook: {}, partnerName: '' } } as never);
}
