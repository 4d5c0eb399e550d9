// The command table of `cow-lab`. To add a subcommand, write src/cli/<name>.ts exporting a
// Command (see command.ts) and add one line here.
import { checkCommand } from './check';
import { costCommand } from './cost';
import type { Command } from './command';
import { exerciseCommand } from './exercise';
import { measureCommand } from './measure';
import { runCommand } from './run';
import { verifyCommand } from './verify';

export const COMMANDS: readonly Command[] = [
  runCommand,
  checkCommand,
  verifyCommand,
  exerciseCommand,
  measureCommand,
  costCommand,
];
