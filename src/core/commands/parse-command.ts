import type { Command } from './command.ts';

export type ParsedCommand =
  | { kind: 'command'; command: Command; args: string[] }
  | { kind: 'unknown'; input: string }
  | { kind: 'empty' };

const MAX_SUGGESTIONS = 3;

/** Finds the command whose phrase (name or alias) starts the text; the longest phrase wins. */
export function parseCommand(text: string | undefined, commands: readonly Command[]): ParsedCommand {
  const words = (text ?? '').trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { kind: 'empty' };
  const lowered = words.map((word) => word.toLowerCase());
  let best: { command: Command; length: number } | undefined;
  for (const command of commands) {
    for (const phrase of phrasesOf(command)) {
      if (startsWith(lowered, phrase) && phrase.length > (best?.length ?? 0)) best = { command, length: phrase.length };
    }
  }
  if (best) return { kind: 'command', command: best.command, args: words.slice(best.length) };
  return { kind: 'unknown', input: words.join(' ') };
}

/** "Did you mean": phrases within a small edit distance of what was typed, closest first. */
export function suggestCommands(input: string, commands: readonly Command[]): string[] {
  const words = input.toLowerCase().split(/\s+/);
  const scored: { name: string; distance: number }[] = [];
  for (const command of commands) {
    const distances = phrasesOf(command).map((phrase) => {
      const typed = words.slice(0, phrase.length).join(' ');
      const wanted = phrase.join(' ');
      const distance = editDistance(typed, wanted);
      // Relative distance ranks longer phrases fairly: two typos in "request relationship" beat one in "request".
      return { distance: distance / wanted.length, fits: distance <= Math.max(2, Math.floor(wanted.length / 3)) };
    });
    const closest = distances.filter((entry) => entry.fits).sort((a, b) => a.distance - b.distance)[0];
    if (closest) scored.push({ name: command.name, distance: closest.distance });
  }
  return scored.sort((a, b) => a.distance - b.distance).slice(0, MAX_SUGGESTIONS).map((entry) => entry.name);
}

function phrasesOf(command: Command): string[][] {
  return [command.name, ...command.aliases].map((phrase) => phrase.toLowerCase().split(/\s+/));
}

function startsWith(words: readonly string[], phrase: readonly string[]): boolean {
  return phrase.length <= words.length && phrase.every((word, index) => words[index] === word);
}

/** Levenshtein distance; inputs are short command phrases, so the quadratic table is fine. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
