// `cow-lab`: the command-line face of CoW Lab. Dispatches to the command table (commands.ts);
// every command gets its IO passed in, so tests call `main` with strings and read the output.
import { closest } from '../language';
import { UsageError, type Command } from './command';
import { COMMANDS } from './commands';
import { EXIT, EXIT_CODE_HELP } from './command';
import { nodeIo, type CliIo } from './io';
import { version as VERSION } from '../../package.json';


export function helpText(commands: readonly Command[] = COMMANDS): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return `cow-lab — run copy-on-write scenarios (.cow files) and see page tables change step by step

Usage:
  cow-lab COMMAND [options] FILE
  cow-lab COMMAND --help
  cow-lab --help | --version

Commands:
${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

${EXIT_CODE_HELP}
`;
}

function commandHelp(command: Command): string {
  return `Usage: ${command.usage}\n\n${command.details}\n\n${EXIT_CODE_HELP}\n`;
}

export async function main(argv: readonly string[], io: CliIo, commands: readonly Command[] = COMMANDS): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? commands.find((c) => c.name === rest[0]) : undefined;
    const text = topic ? commandHelp(topic) : helpText(commands);
    if (name === undefined) io.stderr(text);
    else io.stdout(text);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-V') {
    io.stdout(`${VERSION}\n`);
    return EXIT.ok;
  }
  const command = commands.find((c) => c.name === name);
  if (command === undefined) {
    const guess = closest(name, commands.map((c) => c.name));
    io.stderr(`cow-lab: unknown command '${name}'${guess ? ` — did you mean '${guess}'?` : ''}\nRun 'cow-lab --help' for the list of commands.\n`);
    return EXIT.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(commandHelp(command));
    return EXIT.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`cow-lab ${command.name}: ${e.message}\nUsage: ${command.usage}\n`);
      return EXIT.usage;
    }
    io.stderr(`cow-lab: internal error (please report): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return EXIT.internal;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2), nodeIo()).then((code) => {
    process.exitCode = code;
  });
}
