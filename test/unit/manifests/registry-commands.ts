import { createCommandRegistry } from '../../../src/core/commands/command-registry.ts';
import type { Command } from '../../../src/core/commands/command.ts';

/**
 * The commands the bot registers, as the manifests must list them. The factories only keep their
 * dependencies for later, so names, usages and flags can be read without a store or Partner Center.
 */
export function registeredCommands(): readonly Command[] {
  return createCommandRegistry({ invitations: {} } as never);
}
