import assert from 'node:assert/strict';
import { createWebhookEventBuilders } from '../../src/simulator/webhooks/index.ts';
import { SLACK_ADMIN_USER, SLACK_SIGNING_SECRET, startBotUnderTest, type BotUnderTest } from '../component/support/bot-under-test.ts';
import { webhookClient } from '../component/support/webhook-client.ts';
import { buildSlashCommandRequest } from '../fakes/slack-request.ts';
import { buildCardSubmitMessage, buildPersonalMessage } from '../fakes/teams-activity.ts';
import { invitationIdIn } from './support/invitation-card.ts';

const events = createWebhookEventBuilders();
/** A customer-controlled company name trying every way to ping, link, format, inject or reorder. */
const HOSTILE_NAME = '<at>x</at> <!channel> @here *bold* **strong** _it_ ~st~ `code` [link](http://evil.example) <https://evil.example|Microsoft> <script>alert(1)</script> &amp; \u202Eevil';
/** Pieces that must never become live: each would ping, link or run if a platform interpreted it. */
const DANGEROUS = ['<!channel>', '[link](http://evil.example)', '<https://evil.example|Microsoft>', '<at>x</at>', '<script>'];

type Json = Record<string, unknown>;

/** Every [holder, key, string] in a JSON tree, so a test can ask where a string sits. */
function stringsWithHolders(node: unknown, out: Array<{ holder: Json; key: string; value: string }> = []) {
  if (Array.isArray(node)) node.forEach((item) => stringsWithHolders(item, out));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node as Json)) {
      if (typeof value === 'string') out.push({ holder: node as Json, key, value });
      else stringsWithHolders(value, out);
    }
  }
  return out;
}

const isDangerous = (text: string) => DANGEROUS.some((piece) => text.includes(piece)) || text.includes('\u202E');

/**
 * Teams renders Markdown in TextBlock and FactSet and parses `<at>` against mention entities. Untrusted text
 * is inert only inside a RichTextBlock's TextRun (or an input's value, which is never rendered as Markdown).
 */
function assertInertInTeamsCard(card: unknown): void {
  const serialized = JSON.stringify(card);
  assert.ok(serialized.includes('evil.example'), 'the hostile name is in the card (else the test proves nothing)');
  assert.doesNotMatch(serialized, /\u202E/, 'bidi override stripped');
  for (const { holder, key, value } of stringsWithHolders(card)) {
    if (!isDangerous(value)) continue;
    const inert = (holder.type === 'TextRun' && key === 'text') || (String(holder.type).startsWith('Input.') && key === 'value');
    assert.ok(inert, `raw "${value.slice(0, 60)}" sits in ${String(holder.type)}.${key}, which Teams may render`);
  }
  for (const { holder, key, value } of stringsWithHolders(card)) {
    // A mailto: body may quote the text (the user's own email draft); no link may lead to the hostile host.
    if ((key === 'url' || key === 'iconUrl') && !value.startsWith('mailto:')) assert.doesNotMatch(new URL(value).hostname, /evil\.example/, `${String(holder.type)} links to the hostile host`);
  }
  assert.doesNotMatch(JSON.stringify((card as Json).msteams ?? {}), /mention/, 'no mention entities');
}

/** Slack: only rich_text `text` elements and plain_text objects are inert; the fallback text is mrkdwn and must be escaped. */
function assertInertInSlackMessage(args: Json): void {
  assert.ok(JSON.stringify(args.blocks).includes('evil.example'), 'the hostile name is in the blocks');
  // In mrkdwn only <…> pings or links (<!channel>, <url|label>); Markdown's [x](y) means nothing to Slack.
  assert.doesNotMatch(String(args.text ?? ''), /[<>\u202E]/, 'the notification text is escaped');
  for (const { holder, key, value } of stringsWithHolders(args.blocks)) {
    if (!isDangerous(value)) continue;
    const inert = key === 'text' && (holder.type === 'text' || holder.type === 'plain_text');
    assert.ok(inert, `raw "${value.slice(0, 60)}" sits in ${String(holder.type)}.${key}, which Slack may parse`);
  }
  for (const { holder } of stringsWithHolders(args.blocks)) {
    assert.ok(!['mrkdwn', 'broadcast', 'link', 'user', 'usergroup'].includes(String(holder.type)), `a ${String(holder.type)} element`);
  }
}

describe('security: untrusted names are inert on both platforms', function () {
  this.timeout(30_000);
  let harness: BotUnderTest;
  let customerId: string;

  before(async () => {
    harness = await startBotUnderTest({ POLL_INTERVAL_MINUTES: '0' }, { deliveryTuning: { idleMs: 50, claimGapMs: 1 } });
    customerId = harness.bot.simulator!.controls.addCustomer({ companyName: HOSTILE_NAME, domain: 'hostile.example' }).id;
    await harness.post('/api/messages', buildPersonalMessage({ serviceUrl: harness.connector.url, text: 'subscribe accepted' }));
    await harness.connector.waitForActivities(1);
    const request = buildSlashCommandRequest({ signingSecret: SLACK_SIGNING_SECRET, text: 'subscribe accepted', userId: SLACK_ADMIN_USER });
    await harness.post('/slack/events', request.body, request.headers);
    await harness.slack.waitForCalls('chat.postMessage', 1);
  });
  after(() => harness.stop());

  const teamsCards = () => harness.connector.activities().flatMap((activity) => (activity.attachments ?? []).map((attachment) => attachment.content));
  const slackMessages = () => [...harness.slack.callsOf('chat.postMessage'), ...harness.slack.callsOf('chat.postEphemeral'), ...harness.slack.callsOf('chat.update')].map((call) => call.args);
  const mentioning = (items: unknown[]) => items.filter((item) => JSON.stringify(item).includes('evil.example'));

  it('when the name arrives through an acceptance webhook, then the notification card and the Slack blocks actually sent keep it inert', async () => {
    assert.equal(await webhookClient(harness)(events.resellerRelationshipAccepted(customerId)), 200);
    await harness.connector.waitForActivities(2, 10_000);
    await harness.slack.waitForCalls('chat.postMessage', 2, 10_000);
    const [card] = mentioning(teamsCards());
    const [message] = mentioning(slackMessages());
    assert.ok(card && message, 'both platforms got the notification');
    assertInertInTeamsCard(card);
    assertInertInSlackMessage(message as Json);
  });

  it('when a user asks for the status of that customer, then both answers keep the name inert', async () => {
    const teamsBefore = mentioning(teamsCards()).length;
    const slackBefore = mentioning(slackMessages()).length;
    await harness.post('/api/messages', buildPersonalMessage({ serviceUrl: harness.connector.url, text: `status ${customerId}` }));
    const request = buildSlashCommandRequest({ signingSecret: SLACK_SIGNING_SECRET, text: `status ${customerId}`, userId: SLACK_ADMIN_USER });
    await harness.post('/slack/events', request.body, request.headers);
    const deadline = Date.now() + 5000;
    while ((mentioning(teamsCards()).length === teamsBefore || mentioning(slackMessages()).length === slackBefore) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    assertInertInTeamsCard(mentioning(teamsCards()).at(-1));
    assertInertInSlackMessage(mentioning(slackMessages()).at(-1) as Json);
  });

  it('when a user types the name into the invitation text, then the saved card keeps it inert on Teams', async () => {
    const count = harness.connector.activities().length;
    await harness.post('/api/messages', buildPersonalMessage({ serviceUrl: harness.connector.url, text: 'request relationship' }));
    const [card] = (await harness.connector.waitForActivities(count + 1)).slice(count);
    const invitationId = invitationIdIn(card);
    await harness.post('/api/messages', buildCardSubmitMessage({ serviceUrl: harness.connector.url, replyToId: 'card-1', value: { action: 'invitation.save', invitationId, paragraph1: HOSTILE_NAME, paragraph2: HOSTILE_NAME } }));
    const saved = (await harness.connector.waitForActivities(count + 2)).slice(count + 1)[0];
    assertInertInTeamsCard(saved?.attachments?.[0]?.content);
  });
});
