import type { Locale, Reply } from '../chat.ts';
import type { Command, CommandContext } from '../commands/command.ts';
import { errorReply } from '../replies.ts';
import { NOTIFICATION_KINDS, type NotificationKind, type SubscriptionDirectory } from './subscriptions.ts';

const KIND_WORDS: Record<string, NotificationKind[]> = {
  accepted: ['accepted'],
  angenommen: ['accepted'],
  removed: ['removed'],
  entfernt: ['removed'],
  gdap: ['gdap'],
  expiring: ['expiring'],
  ablaufend: ['expiring'],
  all: [...NOTIFICATION_KINDS],
  alle: [...NOTIFICATION_KINDS],
};

/** The kinds named in the arguments (none named = all), or the first word that is not a kind. */
export function parseKinds(args: readonly string[]): { ok: true; kinds: NotificationKind[] } | { ok: false; word: string } {
  if (args.length === 0) return { ok: true, kinds: [...NOTIFICATION_KINDS] };
  const kinds = new Set<NotificationKind>();
  for (const word of args) {
    const named = KIND_WORDS[word.toLowerCase().replace(/,$/, '')];
    if (!named) return { ok: false, word };
    named.forEach((kind) => kinds.add(kind));
  }
  return { ok: true, kinds: [...kinds] };
}

function subscriptionsReply(locale: Locale, kinds: readonly NotificationKind[], change?: 'subscribed' | 'unsubscribed'): Reply {
  return { template: 'subscriptions', locale, data: { kinds: NOTIFICATION_KINDS.map((kind) => ({ kind, on: kinds.includes(kind) })), change: change ?? 'none' } };
}

type Change = (current: readonly NotificationKind[], named: readonly NotificationKind[]) => NotificationKind[];

function createChangeCommand(directory: SubscriptionDirectory, spec: { name: string; usage: string; aliases: string[]; change: Change; label: 'subscribed' | 'unsubscribed' }): Command {
  return {
    name: spec.name,
    key: spec.name,
    usage: spec.usage,
    aliases: spec.aliases,
    adminOnly: true,
    async run({ event, locale, args }: CommandContext) {
      const parsed = parseKinds(args);
      if (!parsed.ok) return errorReply(locale, 'SUBSCRIPTIONS.UNKNOWN_KIND', { detail: parsed.word });
      const current = (await directory.get(event.address))?.kinds ?? [];
      const saved = await directory.save(event.address, spec.change(current, parsed.kinds), event.user.id);
      return subscriptionsReply(locale, saved?.kinds ?? [], spec.label);
    },
  };
}

/** `subscribe`, `unsubscribe` and `subscriptions`: which notifications this conversation gets. Admins only. */
export function createSubscriptionCommands(directory: SubscriptionDirectory): Command[] {
  return [
    createChangeCommand(directory, {
      name: 'subscribe',
      usage: 'subscribe [accepted|removed|gdap|expiring|all]',
      aliases: ['abonnieren'],
      change: (current, named) => [...new Set([...current, ...named])],
      label: 'subscribed',
    }),
    createChangeCommand(directory, {
      name: 'unsubscribe',
      usage: 'unsubscribe [accepted|removed|gdap|expiring|all]',
      aliases: ['abbestellen'],
      change: (current, named) => current.filter((kind) => !named.includes(kind)),
      label: 'unsubscribed',
    }),
    {
      name: 'subscriptions',
      key: 'subscriptions',
      usage: 'subscriptions',
      aliases: ['abonnements'],
      adminOnly: true,
      async run({ event, locale }) {
        return subscriptionsReply(locale, (await directory.get(event.address))?.kinds ?? []);
      },
    },
  ];
}
