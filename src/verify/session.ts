// Runs one command stream through the driver's coordinator and collects its reply lines.
// The coordinator answers every command with exactly one line, after the step has finished in
// the kernel, so reply i belongs to command i. Nothing here can hang: the whole session has a
// deadline, after which the driver's process group (coordinator and every worker) is killed.

import { spawn } from 'node:child_process';

export interface DriverHello {
  /** /proc/self/pagemap could be opened. */
  readonly pagemap: boolean;
  /**
   * The shared zero page's frame number; 0 when frame numbers are hidden (no CAP_SYS_ADMIN),
   * -1 when this kernel maps no zero page (nothing can match it).
   */
  readonly zeroPfn: number;
  /** pagemap shows frame numbers (CAP_SYS_ADMIN). */
  readonly framesVisible: boolean;
  /**
   * A read fault on untouched private memory mapped the shared zero page. The driver's probe read
   * tells: the zero page is never "mapped exactly once" (pagemap bit 56; vm_normal_page() has no
   * page for it), a page of the process's own is.
   */
  readonly zeroPage: boolean;
  /** /proc/kpagecount could be opened. */
  readonly kpagecount: boolean;
  /** Why the driver cannot take long-term pins (io_uring_setup failed), when it cannot. */
  readonly pinsUnavailable?: string;
  readonly error?: string;
}

/** errno values io_uring_setup gives where io_uring is turned off or filtered. */
const ERRNO_NAMES: Readonly<Record<number, string>> = { 1: 'EPERM', 12: 'ENOMEM', 13: 'EACCES', 38: 'ENOSYS' };

export interface SessionResult {
  readonly hello: DriverHello;
  /** One per command answered, in order. */
  readonly replies: readonly string[];
  /** Why the session ended early (a step that never answered, a protocol error, the deadline). */
  readonly fatal?: string;
  /** What the driver wrote on stderr, for diagnostics. */
  readonly stderr: string;
}

export interface SessionOptions {
  /** Pin the coordinator and every scenario process to this CPU. */
  readonly cpu?: number;
  /** Deadline for the whole session. */
  readonly timeoutMs?: number;
  /** Run the driver as this user (root only): checks the no-CAP_SYS_ADMIN fallback for real. */
  readonly user?: { readonly uid: number; readonly gid: number };
}

export const DEFAULT_SESSION_TIMEOUT_MS = 60_000;

export function parseHello(line: string): DriverHello | undefined {
  if (!line.startsWith('hello ')) return undefined;
  const fields = new Map<string, string>();
  for (const word of line.slice(6).split(' ')) {
    const eq = word.indexOf('=');
    if (eq > 0) fields.set(word.slice(0, eq), word.slice(eq + 1));
  }
  const error = fields.get('error');
  const probe = /^[0-9a-f]+$/i.test(fields.get('entry') ?? '') ? BigInt(`0x${fields.get('entry')}`) : null;
  const pfn = parseInt(fields.get('zero') ?? '0', 16) || 0;
  // Without the probe's entry (an error hello), assume the mainline rule.
  const zeroPage = probe === null || (probe & (1n << 56n)) === 0n;
  const uring = fields.get('iouring');
  const errno = uring?.startsWith('errno-') ? Number(uring.slice(6)) : undefined;
  const pinsUnavailable =
    errno === undefined
      ? undefined
      : `io_uring_setup failed with ${ERRNO_NAMES[errno] ?? `errno ${errno}`}${errno === 1 || errno === 13 ? ' (io_uring is disabled for this process: kernel.io_uring_disabled, or a seccomp filter)' : errno === 38 ? ' (this kernel has no io_uring)' : ''}, so pins (io_uring fixed buffers) cannot be taken`;
  return {
    pagemap: fields.get('pagemap') === '1',
    zeroPfn: zeroPage ? pfn : -1,
    framesVisible: pfn !== 0,
    zeroPage,
    kpagecount: fields.get('kpagecount') === '1',
    ...(pinsUnavailable !== undefined ? { pinsUnavailable } : {}),
    ...(error !== undefined ? { error } : {}),
  };
}

export function runSession(binary: string, commands: readonly string[], options: SessionOptions = {}): Promise<SessionResult> {
  const args = ['coordinator', ...(options.cpu !== undefined ? ['--cpu', String(options.cpu)] : [])];
  const timeoutMs = options.timeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS;
  return new Promise((resolve) => {
    // detached: the coordinator leads a process group of its own, which holds every worker.
    const child = spawn(binary, args, { detached: true, stdio: ['pipe', 'pipe', 'pipe'], ...(options.user ?? {}) });
    const lines: string[] = [];
    let partial = '';
    let stderr = '';
    let fatal: string | undefined;
    let settled = false;

    const killGroup = (): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      fatal = `no answer within ${timeoutMs} ms; the driver's process group was killed`;
      killGroup();
    }, timeoutMs);

    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      lines.push(...parts);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < 10_000) stderr += chunk;
    });
    child.stdin.on('error', () => {
      // The coordinator ended before reading everything; its last line says why.
    });
    const finish = (how: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (partial) lines.push(partial);
      const helloLine = lines.shift() ?? '';
      const hello = parseHello(helloLine) ?? { pagemap: false, zeroPfn: 0, framesVisible: false, zeroPage: true, kpagecount: false, error: helloLine || how };
      const replies: string[] = [];
      for (const line of lines) {
        if (line.startsWith('fatal ')) {
          fatal ??= line.slice(6);
          break;
        }
        replies.push(line);
      }
      if (fatal === undefined && replies.length < commands.length && hello.pagemap) {
        fatal = `the driver stopped after ${replies.length} of ${commands.length} commands (${how})`;
      }
      // After a clean `quit` the coordinator has killed its workers itself; otherwise make sure.
      if (fatal !== undefined || how !== 'exit code 0') killGroup();
      resolve({ hello, replies, stderr, ...(fatal !== undefined ? { fatal } : {}) });
    };
    child.on('error', (e) => finish(`cannot run ${binary}: ${e.message}`));
    child.on('close', (code, signal) => finish(signal ? `killed by ${signal}` : `exit code ${code}`));
    child.stdin.end(commands.map((c) => `${c}\n`).join('') + 'quit\n');
  });
}
