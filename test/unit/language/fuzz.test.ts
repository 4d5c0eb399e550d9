// Seeded fuzzing: 100,000 random and mutated scenarios through parser, checker and interpreter.
// Properties: nothing throws; no `internal` diagnostic; every range lies in the text; and the
// checker agrees with the engine — a scenario the checker accepts is never refused by the
// engine. Sizes are bounded by smaller limits so no case asks the engine for much memory.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyze, DEFAULT_LIMITS, interpret, runToJson, splitLines, type Limits } from '../../../src/language';
import { contractProblems } from './contract';
import { rng } from '../../conformance/generate';

const CASES = 100_000;
const SEED = 0x5eed_c0de;
const LIMITS: Limits = { ...DEFAULT_LIMITS, maxRegionPages: 128, maxStatements: 80, maxProcesses: 24, maxLineLength: 400 };


type Random = () => number;
const int = (rnd: Random, n: number): number => Math.floor(rnd() * n);
const pick = <T>(rnd: Random, list: readonly T[]): T => list[int(rnd, list.length)] as T;

const PROCESSES = ['a', 'b', 'c', 'shell', 'child', 'helper', 'redis', 'saver', 'x1'];
const REGIONS = ['heap', 'stack', 'buf', 'sh', 'db'];
const WORDS = ['process', 'mode', 'expect', 'note', 'checkpoint', 'map', 'write', 'read', 'fork', 'vfork', 'exec', 'exit', 'unmap', 'madvise', 'private', 'shared', 'dontfork', 'wipeonfork', 'normal', 'copies', 'frames', 'faults', 'reuses', 'shared with', 'not', 'zero', 'frame', 'cow', 'eager', 'MiB', 'pages', '?', '==', '<=', '[', ']', '..', ':', '"'];
const ALPHABET = 'abcxyz019 :[].."#?=<>!-_\t\n\u00e9\u201c\u0000\ud83d';

interface ModelProcess {
  regions: Map<string, { pages: number; shared: boolean }>;
  /** Suspended by a vfork until this child execs or exits. */
  waitingFor?: string;
  borrowsFrom?: string;
}

/**
 * A plausible scenario: a small model of processes and regions picks a valid next statement
 * most of the time (so many cases pass the checker and reach the engine) and a random one
 * otherwise. MADV_DONTFORK holes are not modelled: they come up as checker errors.
 */
function scenario(rnd: Random): string {
  const lines: string[] = [];
  const model = new Map<string, ModelProcess>();
  let next = 0;
  const fresh = (): string => `${pick(rnd, PROCESSES)}${next++}`;
  if (rnd() < 0.2) lines.push(`mode ${rnd() < 0.5 ? 'cow' : 'eager'}`);
  const count = 1 + int(rnd, 30);
  for (let i = 0; i < count; i += 1) {
    const valid = rnd() < 0.97;
    const active = [...model.entries()].filter(([, m]) => m.waitingFor === undefined);
    const entry = active.length > 0 && valid ? pick(rnd, active) : undefined;
    const p = entry?.[0] ?? pick(rnd, PROCESSES);
    const space = entry === undefined ? undefined : (entry[1].borrowsFrom !== undefined ? model.get(entry[1].borrowsFrom) : entry[1])?.regions;
    const owned = space !== undefined && space.size > 0 && valid ? pick(rnd, [...space.entries()]) : undefined;
    const region = owned?.[0] ?? pick(rnd, REGIONS);
    const size = owned?.[1].pages ?? 1 + int(rnd, 12);
    const first = valid ? int(rnd, size) : int(rnd, size + 2);
    const last = valid ? first + int(rnd, size - first) : first + int(rnd, 3);
    const pages = rnd() < 0.15 ? '' : first === last ? `[${first}]` : `[${first}..${last}]`;
    const release = (child: string) => {
      for (const m of model.values()) if (m.waitingFor === child) delete m.waitingFor;
    };
    let choice = int(rnd, 14);
    if (entry === undefined && valid) choice = 0;
    if (owned === undefined && valid && choice >= 3 && choice <= 5) choice = 2;
    switch (choice) {
      case 0:
      case 1: {
        const name = valid ? fresh() : pick(rnd, PROCESSES);
        lines.push(`process ${name}`);
        model.set(name, { regions: new Map() });
        break;
      }
      case 2: {
        const name = valid && space?.has(region) ? `${region}${next++}` : region;
        const mapped = rnd() < 0.05 ? 200 : 1 + int(rnd, 12);
        const shared = rnd() < 0.3;
        lines.push(`${p}: map ${name} ${mapped} ${shared ? 'shared' : 'private'}`);
        space?.set(name, { pages: mapped, shared });
        break;
      }
      case 3:
      case 4:
        lines.push(`${p}: write ${region}${pages}${rnd() < 0.5 ? ` "v${i}"` : ''}`);
        break;
      case 5:
        lines.push(`${p}: read ${region}${pages}`);
        break;
      case 6: {
        const child = valid ? fresh() : pick(rnd, PROCESSES);
        const vfork = rnd() < 0.25;
        lines.push(`${p}: ${vfork ? 'vfork' : 'fork'} ${child}`);
        if (entry !== undefined && space !== undefined) {
          if (vfork) {
            entry[1].waitingFor = child;
            model.set(child, { regions: new Map(), borrowsFrom: entry[1].borrowsFrom ?? p });
          } else {
            model.set(child, { regions: new Map([...space].filter(() => true)) });
          }
        }
        break;
      }
      case 7: {
        const exec = rnd() < 0.5;
        lines.push(`${p}: ${exec ? 'exec' : 'exit'}`);
        if (entry !== undefined) {
          release(p);
          delete entry[1].borrowsFrom;
          if (exec) entry[1].regions = new Map();
          else model.delete(p);
        }
        break;
      }
      case 8:
        if (rnd() < 0.3) {
          lines.push(`${p}: unmap ${region}`);
          space?.delete(region);
        } else {
          // dontfork and wipeonfork only on private regions, so the statement stays valid.
          const advice = owned?.[1].shared ? 'normal' : pick(rnd, ['dontfork', 'wipeonfork', 'normal', 'normal']);
          lines.push(`${p}: madvise ${region}${pages} ${advice}`);
        }
        break;
      case 9:
        lines.push(`checkpoint "c${i}"`);
        break;
      case 10:
        lines.push(`expect ${pick(rnd, ['copies', 'frames', 'faults', 'reuses', 'zeroMaps'])} ${pick(rnd, ['==', '!=', '<', '<=', '>', '>='])} ${rnd() < 0.1 ? '?' : int(rnd, 8)}`);
        break;
      case 11: {
        const other = pick(rnd, [...model.keys(), 'ghost']);
        lines.push(`expect ${p} ${region}${pages} ${pick(rnd, ['private', 'zero', 'absent', 'present', 'writable', 'readonly', 'cow', 'not private', `shared with ${other}`, '== ""', `frame == ${int(rnd, 9)}`])}`);
        break;
      }
      case 12:
        lines.push(`expect ${p} ${pick(rnd, ['running', 'suspended', 'exited'])}`);
        break;
      default:
        lines.push(rnd() < 0.5 ? `note "step ${i}"` : `# comment ${i}`);
    }
  }
  return lines.join(rnd() < 0.1 ? '\r\n' : '\n');
}

function mutate(rnd: Random, text: string): string {
  let out = text;
  const times = 1 + int(rnd, 4);
  for (let i = 0; i < times; i += 1) {
    const at = int(rnd, out.length + 1);
    const lines = splitLines(out);
    switch (int(rnd, 9)) {
      case 0:
        out = out.slice(0, at) + out.slice(at + 1 + int(rnd, 3));
        break;
      case 1:
        out = out.slice(0, at) + pick(rnd, [...ALPHABET]) + out.slice(at);
        break;
      case 2:
        out = `${out.slice(0, at)} ${pick(rnd, WORDS)} ${out.slice(at)}`;
        break;
      case 3: {
        const n = int(rnd, lines.length);
        lines.splice(n, 0, lines[n] ?? '');
        out = lines.join('\n');
        break;
      }
      case 4:
        lines.splice(int(rnd, lines.length), 1);
        out = lines.join('\n');
        break;
      case 5: {
        const [i1, i2] = [int(rnd, lines.length), int(rnd, lines.length)];
        [lines[i1], lines[i2]] = [lines[i2] ?? '', lines[i1] ?? ''];
        out = lines.join('\n');
        break;
      }
      case 6:
        out = out.replace(/\d+/, pick(rnd, ['0', '1', '127', '128', '4194304', '99999999999999999999', '00', '1_0']));
        break;
      case 7:
        out = out.slice(0, at);
        break;
      default:
        out = out.replace(/[a-z]+/, pick(rnd, WORDS));
    }
  }
  return out;
}

function junk(rnd: Random): string {
  let out = '';
  const length = int(rnd, 200);
  for (let i = 0; i < length; i += 1) out += rnd() < 0.3 ? pick(rnd, WORDS) : pick(rnd, [...ALPHABET]);
  return out;
}

describe('fuzz: parser, checker and interpreter', function () {
  // A guard against a hang, not a speed target: about 110 s of CPU here (5,000 cases: 5.5 s),
  // and a shared machine at load 12-15 stretched that past 8 minutes of wall time.
  this.timeout(900_000);

  it(`survives ${CASES.toLocaleString('en-US')} seeded random and mutated scenarios`, () => {
    const rnd = rng(SEED);
    const samplesDir = resolve(__dirname, '..', '..', '..', 'samples');
    const samples = readdirSync(samplesDir).filter((f) => f.endsWith('.cow')).map((f) => readFileSync(join(samplesDir, f), 'utf8'));
    const tally = { runnable: 0, refusedRaw: 0, json: 0 };
    for (let n = 0; n < CASES; n += 1) {
      const kind = rnd();
      const source = kind < 0.4 ? scenario(rnd) : kind < 0.9 ? mutate(rnd, rnd() < 0.5 ? pick(rnd, samples) : scenario(rnd)) : junk(rnd);
      const where = `case ${n}: ${JSON.stringify(source.slice(0, 2000))}`;
      let analysis;
      try {
        analysis = analyze(source, LIMITS);
      } catch (e) {
        assert.fail(`analyze threw ${String(e)} on ${where}`);
      }
      const lineCount = analysis.program.lineCount;
      for (const d of analysis.diagnostics) {
        assert.notEqual(d.code, 'internal', `${d.message} on ${where}`);
        const { line, col, endLine, endCol } = d.range;
        assert.ok(line >= 1 && line <= Math.max(1, lineCount) && endLine === line && col >= 1 && endCol >= col, `bad range ${JSON.stringify(d.range)} on ${where}`);
      }
      // Broken scenarios run too (the engine refuses at the first bad statement), one in four
      // to keep the wall time down: the interpreter must stop cleanly, not throw.
      if (!analysis.runnable && n % 4 !== 0) continue;
      let run;
      try {
        run = interpret(analysis.program);
      } catch (e) {
        assert.fail(`interpret threw ${String(e)} on ${where}`);
      }
      assert.notEqual(run.error?.code, 'internal', `${run.error?.message} on ${where}`);
      if (analysis.runnable) {
        tally.runnable += 1;
        // What the checker accepts, the engine runs: errors are caught before running.
        assert.equal(run.error, undefined, `the checker accepted but the engine refused: ${run.error?.message} (line ${run.error?.range.line}) on ${where}`);
        if (n % 20 === 0) {
          assert.deepEqual(contractProblems(JSON.parse(JSON.stringify(runToJson(run)))), [], where);
          tally.json += 1;
        }
      } else if (run.error !== undefined) {
        tally.refusedRaw += 1;
      }
    }
    // The mix must exercise both sides: plenty of runnable scenarios and plenty of broken ones.
    assert.ok(tally.runnable > CASES / 10, `only ${tally.runnable} runnable cases`);
    assert.ok(tally.runnable < CASES * 0.9, `only ${CASES - tally.runnable} broken cases`);
    assert.ok(tally.refusedRaw > 1000, 'broken scenarios reach the engine and are refused');
    assert.ok(tally.json > 1000, 'the --json contract is checked on runs');
  });
});
