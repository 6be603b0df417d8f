import assert from 'node:assert/strict';
import { createStore } from '../../src/store/create-store.ts';
import { SAMPLE_CUSTOMERS } from '../../src/simulator/seed.ts';
import { startSimulator, type PartnerCenterSimulator } from '../../src/simulator/simulator.ts';
import { createWebhookEventBuilders } from '../../src/simulator/webhooks/index.ts';
import { createStoreBackends, createTestPrefix, type StoreBackend } from '../contract/store-backends.ts';
import { createFakeBotConnector, type FakeBotConnector } from '../fakes/fake-bot-connector.ts';
import { createFakeSlackApi, type FakeSlackApi } from '../fakes/fake-slack-api.ts';
import { requireService } from '../support/services.ts';
import { cardCalls, connectorCalls, keepOutputs, reconciliationRuns, sendWebhook, startReplicas, subscribeChannel, subscribeTeamsChat, takeoverTimes, waitUntil, type Replica } from './support/replica-cluster.ts';

const REPLICAS = 3;
const CHANNELS = Array.from({ length: 8 }, (_, index) => `C0REPLICA${index}`);
const POLL_MS = 2_000;
const CLAIM_SECONDS = 3;
// Four per channel: a fifth waiting would fold the backlog into one digest card.
const ACCEPTED = ['Bäckerei Schmidt KG', 'Schneider & Söhne Logistik GmbH', 'Northwind Traders', 'Adventure Works Cycles'].map((name) => SAMPLE_CUSTOMERS.find((customer) => customer.companyName === name)!);
const EXPIRING_TWICE = 'Müller Maschinenbau GmbH';
const EXPIRING_ONCE = 'Stadtwerke Musterstadt AöR';
const DAY_MS = 24 * 60 * 60_000;
const SLOW_SLACK_MS = 500;

/**
 * Three `npm start` replicas on one Redis (then one PostgreSQL) and one shared Partner Center simulator,
 * Slack requests and webhooks spread round-robin over them, one replica killed with SIGKILL mid-drain.
 */
for (const backend of createStoreBackends().filter((each) => each.name !== 'SQLite')) {
  describe(`e2e: three replicas on ${backend.name}, one killed mid-drain`, function () {
    this.timeout(75_000);
    const prefix = createTestPrefix();
    let simulator: PartnerCenterSimulator;
    let slack: FakeSlackApi;
    let teams: FakeBotConnector;
    let replicas: Replica[] = [];
    let killed: Replica;
    let killedAt = 0;
    let clusterStartedAt = 0;
    let subscribedAt = 0;
    let scenarioEndedAt = 0;
    let statuses: number[] = [];
    let ready = false;

    before(async function () {
      await requireService(this, backend.serviceUrl!);
      await backend.setUp();
      ready = true;
      simulator = await startSimulator({ port: 0, host: '127.0.0.1' });
      slack = createFakeSlackApi();
      teams = createFakeBotConnector();
      await Promise.all([slack.start(), teams.start()]);
      clusterStartedAt = Date.now();
      replicas = await startReplicas(REPLICAS, { storeUrl: backend.url(), storePrefix: prefix, simulatorUrl: simulator.url, slackApiUrl: slack.apiUrl, pollIntervalMs: POLL_MS, claimSeconds: CLAIM_SECONDS });
      await runScenario(backend);
      scenarioEndedAt = Date.now();
    });
    after(async () => {
      if (!ready) return;
      // REPLICAS_LOG_DIR=<dir> keeps each replica's output and the Slack calls, for looking into a failure.
      if (process.env.REPLICAS_LOG_DIR) keepOutputs(process.env.REPLICAS_LOG_DIR, backend.name, replicas, slack.calls, teams.calls);
      await Promise.all(replicas.map((replica) => replica.process.stop(replica.killed ? 'SIGKILL' : 'SIGTERM')));
      await slack?.stop();
      await teams?.stop();
      await simulator?.stop();
      await backend.cleanUp([prefix]);
    });

    const posted = () => slack.calls.filter((call) => call.method === 'chat.postMessage' && call.status === 200);
    const replica = (turn: number) => replicas.filter((each) => !each.killed)[turn % replicas.filter((each) => !each.killed).length]!;

    async function runScenario(storeBackend: StoreBackend): Promise<void> {
      // Subscriptions through whichever replica; every replica's 2 s subscription cache has expired after it.
      statuses = await Promise.all([...CHANNELS.map((channel, turn) => subscribeChannel(replica(turn), channel)), subscribeTeamsChat(replica(CHANNELS.length), teams.url)]);
      await waitUntil(() => posted().length >= CHANNELS.length && teams.calls.length > 0, 10_000, 'subscription confirmations');
      subscribedAt = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 2_500));

      // The poll (whichever replica runs it) finds two relationships about to end: one warning each per channel.
      moveEnd(EXPIRING_TWICE, 20);
      moveEnd(EXPIRING_ONCE, 5);
      const warned = (name: string) => CHANNELS.every((channel) => cardCalls(slack.calls, channel, name, 'chat.postMessage').length > 0) && connectorCalls(teams.calls, 'post', name).length > 0;
      await waitUntil(() => warned(EXPIRING_ONCE) && warned(EXPIRING_TWICE), 15_000, 'expiry warnings');

      // Each acceptance webhook to one replica, and delivered again to the next one: dedupe is cluster-wide.
      const events = createWebhookEventBuilders();
      const sentBefore = posted().length;
      // A slow Slack keeps each send in flight for a while: the kill below then lands on claimed rows.
      slack.setResponder((call) => (call.method === 'chat.postMessage' ? { delayMs: SLOW_SLACK_MS } : undefined));
      let turn = 0;
      for (const customer of ACCEPTED) {
        const event = events.resellerRelationshipAccepted(customer.id);
        statuses.push(await sendWebhook(replica(turn++), simulator.url, event), await sendWebhook(replica(turn), simulator.url, event));
      }
      await waitUntil(() => posted().length >= sentBefore + CHANNELS.length, 15_000, 'the drain to start');
      // The replica that sent last is surely draining: SIGKILL it, as a crash would.
      const lastToken = posted().at(-1)?.token;
      killed = replicas.find((each) => each.token === lastToken) ?? replicas[0]!;
      killedAt = Date.now();
      killed.killed = true;
      await killed.process.stop('SIGKILL');
      const store = await createStore(storeBackend.url(), { prefix });
      try {
        const drained = async () => {
          const counts = await store.outbox.counts();
          return counts.pending + counts.sending === 0;
        };
        await waitUntil(drained, 30_000, 'the outbox to drain after the kill', () => store.outbox.counts());
        slack.setResponder(undefined);
        // A later threshold after the crash (and after the drain: five rows waiting would fold into a digest).
        moveEnd(EXPIRING_TWICE, 10);
        const waiting = () => [
          ...CHANNELS.filter((channel) => cardCalls(slack.calls, channel, EXPIRING_TWICE, 'chat.update').length === 0),
          ...(connectorCalls(teams.calls, 'update', EXPIRING_TWICE).length === 0 ? ['teams'] : []),
        ];
        await waitUntil(async () => waiting().length === 0 && (await drained()), 15_000, 'the 14-day warnings', async () => ({ counts: await store.outbox.counts(), waiting: waiting() }));
      } finally {
        await store.close();
      }
      // One more poll interval: nothing said twice.
      await new Promise((resolve) => setTimeout(resolve, POLL_MS + 500));
    }

    function moveEnd(customerName: string, days: number): void {
      const relationship = simulator.controls.gdapRelationships().find((each) => each.customer?.displayName === customerName && each.status === 'active');
      assert.ok(relationship, `the simulator has an active GDAP relationship of ${customerName}`);
      simulator.controls.updateGdapRelationship(relationship.id, { endDateTime: new Date(Date.now() + days * DAY_MS - 60_000).toISOString() });
    }

    it('when Slack, Teams and webhook requests hit any replica, then every one is accepted', () => {
      assert.deepEqual(statuses, statuses.map(() => 200));
    });

    it('when a replica is killed mid-drain, then every notification arrives, none twice beyond the one in flight', async () => {
      for (const channel of CHANNELS) {
        let cards = 0;
        for (const customer of ACCEPTED) {
          const copies = cardCalls(slack.calls, channel, customer.companyName, 'chat.postMessage').length;
          assert.ok(copies >= 1, `${channel}: ${customer.companyName} never arrived`);
          cards += copies;
        }
        assert.ok(cards <= ACCEPTED.length + 1, `${channel}: ${cards - ACCEPTED.length} duplicates (at most the one in flight)`);
      }
      const teamsCards = ACCEPTED.map((customer) => connectorCalls(teams.calls, 'post', customer.companyName).length);
      assert.ok(teamsCards.every((copies) => copies >= 1), `Teams: ${teamsCards.join(', ')} cards per customer`);
      assert.ok(teamsCards.reduce((sum, copies) => sum + copies, 0) <= ACCEPTED.length + 1, `Teams: ${teamsCards.join(', ')} cards per customer`);
      const store = await createStore(backend.url(), { prefix });
      try {
        const counts = await store.outbox.counts();
        assert.deepEqual({ pending: counts.pending, sending: counts.sending, dead: counts.dead }, { pending: 0, sending: 0, dead: 0 });
      } finally {
        await store.close();
      }
    });

    it('when the drainer dies, then another replica takes its conversations over within one claim period', () => {
      const times = takeoverTimes(slack.calls, killed, killedAt);
      const slowest = Math.max(0, ...times);
      process.stdout.write(`      takeover after SIGKILL (${backend.name}): ${times.length} conversations, slowest ${slowest} ms (claim ${CLAIM_SECONDS * 1000} ms)\n`);
      assert.ok(times.length > 0, 'the killed replica was serving a conversation with more to send');
      // The claim, one idle tick of the worker (0.5 s), the slow answer to the next send and some scheduling slack.
      assert.ok(slowest <= CLAIM_SECONDS * 1000 + 500 + SLOW_SLACK_MS + 1_500, `slowest takeover ${slowest} ms`);
    });

    it('when several replicas send to one Slack channel, then its pace holds across them (about one call per second)', () => {
      for (const channel of CHANNELS) {
        // Arrival times (the fake logs a call when it answers it); pacing counts from when a call starts,
        // so a slow loopback hop can bring two calls closer than a second: 700 ms, not 1,000.
        const times = slack.calls.filter((call) => call.args.channel === channel && call.status === 200 && call.timestamp > subscribedAt).map((call) => call.timestamp).sort((a, b) => a - b);
        const gaps = times.slice(1).map((time, index) => time - times[index]!);
        assert.ok(gaps.every((gap) => gap >= 700), `${channel}: calls ${gaps.join(', ')} ms apart`);
      }
    });

    it('when three replicas poll, then the cluster reconciles once per interval, and after the kill too', () => {
      const runs = reconciliationRuns(replicas);
      const elapsed = Date.now() - clusterStartedAt;
      for (let index = 1; index < runs.length; index++) {
        const gap = runs[index]!.startedAt - runs[index - 1]!.startedAt;
        assert.ok(gap >= POLL_MS - 50, `runs ${index - 1} and ${index} started ${gap} ms apart (interval ${POLL_MS} ms)`);
      }
      assert.ok(runs.length <= Math.floor(elapsed / POLL_MS) + 1, `${runs.length} runs in ${elapsed} ms`);
      // Each replica looks every second, so the cluster is never late by more than that (plus a run).
      const lookMs = 1_000;
      assert.ok(runs.length >= Math.floor((scenarioEndedAt - clusterStartedAt) / (POLL_MS + lookMs)) - 1, `${runs.length} runs in ${scenarioEndedAt - clusterStartedAt} ms`);
      assert.ok(runs.some((run) => run.startedAt > killedAt + POLL_MS && run.replica !== killed.index), 'a survivor kept polling after the kill');
      // What Partner Center saw: one customer listing per run (one more if the killed replica was mid-run).
      const listings = simulator.controls.requests.filter((request) => /^\/v1\/customers\?size=\d+$/.test(request.path)).length;
      assert.ok(listings >= runs.length && listings <= runs.length + 1, `${listings} customer listings for ${runs.length} logged runs`);
    });

    it('when many polls see a relationship about to end, then each channel is warned once per threshold', () => {
      for (const channel of CHANNELS) {
        assert.equal(cardCalls(slack.calls, channel, EXPIRING_ONCE, 'chat.postMessage').length, 1, `${channel}: ${EXPIRING_ONCE} (7 days)`);
        assert.equal(cardCalls(slack.calls, channel, EXPIRING_ONCE, 'chat.update').length, 0, `${channel}: ${EXPIRING_ONCE} told again`);
        assert.equal(cardCalls(slack.calls, channel, EXPIRING_TWICE, 'chat.postMessage').length, 1, `${channel}: ${EXPIRING_TWICE} (30 days)`);
        assert.equal(cardCalls(slack.calls, channel, EXPIRING_TWICE, 'chat.update').length, 1, `${channel}: ${EXPIRING_TWICE} (14 days)`);
      }
      assert.equal(connectorCalls(teams.calls, 'post', EXPIRING_ONCE).length, 1, `Teams: ${EXPIRING_ONCE} (7 days)`);
      assert.equal(connectorCalls(teams.calls, 'update', EXPIRING_ONCE).length, 0, `Teams: ${EXPIRING_ONCE} told again`);
      assert.equal(connectorCalls(teams.calls, 'update', EXPIRING_TWICE).length, 1, `Teams: ${EXPIRING_TWICE} (14 days, in place)`);
      // The card, and the follow-up under it that the 14-day warning added.
      assert.equal(connectorCalls(teams.calls, 'post', EXPIRING_TWICE).length, 2, `Teams: ${EXPIRING_TWICE} card and follow-up`);
    });
  });
}
