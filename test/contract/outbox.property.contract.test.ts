/**
 * Random sequences of outbox operations (record, claim, finish, defer, drop, replay, time passing) on
 * each real backend, compared step by step with an in-memory model of the port's documented rules.
 */
import fc from 'fast-check';
import { describeOnEveryBackend } from './outbox-harness.ts';
import { OutboxModel } from './outbox-model.ts';
import { outboxCommands } from './outbox-commands.ts';

const RUNS = 25;

describeOnEveryBackend('Outbox against its model', (harness) => {
  it(`when ${RUNS} random sequences of operations run, then every answer and every row match the model`, async function () {
    this.timeout(120_000); // passes in seconds; shrinking a failure may take longer
    await fc.assert(
      fc.asyncProperty(outboxCommands, async (commands) => {
        const store = await harness.open(harness.freshPrefix()); // every sequence starts from an empty outbox
        try {
          await fc.asyncModelRun(() => ({ model: new OutboxModel(), real: store }), commands);
        } finally {
          await store.close();
        }
      }),
      { numRuns: RUNS },
    );
  });
});
