import { createInterface } from 'node:readline/promises';

/** Asks a yes/no question on the terminal; only `y` or `yes` (any case) is a yes. */
export async function askOnTerminal(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^\s*y(es)?\s*$/i.test(await rl.question(question));
  } finally {
    rl.close();
  }
}
