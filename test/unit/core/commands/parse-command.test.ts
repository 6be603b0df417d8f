import assert from 'node:assert/strict';
import type { Command } from '../../../../src/core/commands/command.ts';
import { editDistance, parseCommand, suggestCommands } from '../../../../src/core/commands/parse-command.ts';

function dummyCommand(name: string, aliases: string[] = [], adminOnly = false): Command {
  return {
    name,
    key: name.replace(/ /g, '-'),
    usage: name,
    aliases,
    adminOnly,
    run: async () => {
      throw new Error('not run in these tests');
    },
  };
}

const commands = [
  dummyCommand('help', ['hilfe']),
  dummyCommand('request relationship', ['invite', 'beziehung anfordern']),
  dummyCommand('request', []),
  dummyCommand('language', ['sprache'], true),
];

describe('parseCommand', () => {
  it('when the text starts with a phrase, then the longest phrase wins and the rest are arguments in their case', () => {
    const parsed = parseCommand('  Request   Relationship indirect Contoso GmbH ', commands);
    assert.equal(parsed.kind, 'command');
    assert.equal(parsed.kind === 'command' && parsed.command.name, 'request relationship');
    assert.deepEqual(parsed.kind === 'command' && parsed.args, ['indirect', 'Contoso', 'GmbH']);
  });

  it('when a German alias is typed, then it runs the same command', () => {
    const parsed = parseCommand('Beziehung anfordern lang de', commands);
    assert.equal(parsed.kind === 'command' && parsed.command.name, 'request relationship');
    assert.deepEqual(parsed.kind === 'command' && parsed.args, ['lang', 'de']);
  });

  it('when the text is empty or blank, then it is empty', () => {
    assert.deepEqual(parseCommand('   ', commands), { kind: 'empty' });
    assert.deepEqual(parseCommand(undefined, commands), { kind: 'empty' });
  });

  it('when nothing matches, then it is unknown with the input kept', () => {
    assert.deepEqual(parseCommand('halp me', commands), { kind: 'unknown', input: 'halp me' });
  });
});

describe('suggestCommands', () => {
  it('when a phrase is close, then it is suggested, closest first', () => {
    assert.deepEqual(suggestCommands('halp', commands), ['help']);
    assert.deepEqual(suggestCommands('reqest relatonship', commands).slice(0, 1), ['request relationship']);
    assert.deepEqual(suggestCommands('languag de', commands), ['language']);
  });

  it('when nothing is close, then there is no suggestion', () => {
    assert.deepEqual(suggestCommands('weather in berlin', commands), []);
  });
});

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions', () => {
    assert.equal(editDistance('', ''), 0);
    assert.equal(editDistance('help', 'help'), 0);
    assert.equal(editDistance('halp', 'help'), 1);
    assert.equal(editDistance('hel', 'help'), 1);
    assert.equal(editDistance('kitten', 'sitting'), 3);
  });
});
