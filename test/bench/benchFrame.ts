import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Readable, Writable } from 'node:stream';
import { createProtocolConnection, ProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import type { Layout } from './generateLogs';
import { defined } from '../defined';

/**
 * What every benchmark section gets: the generated logs, timing helpers that resist a busy
 * machine (warm-up runs, candidates taken in turn, medians), and one place to print tables and
 * verdicts so that the output reads the same from section to section.
 */

export interface BenchLog {
  readonly sizeMiB: number;
  readonly layout: Layout;
  readonly file: string;
  readonly text: string;
  /** Where the text lives: one-byte strings cost one byte per character in V8. */
  readonly bytes: number;
}

export interface BenchSection {
  /** Short name used by `--sections=`. */
  readonly id: string;
  readonly title: string;
  run(context: BenchContext): Promise<void>;
}

export interface Verdict {
  readonly target: string;
  readonly measured: string;
  readonly pass: boolean;
}

export interface Candidate {
  readonly name: string;
  run(): unknown;
}

export interface TimingOptions {
  /** Timed runs per candidate; the median is reported. */
  readonly runs: number;
  /** Untimed runs per candidate first, so the JIT has settled. */
  readonly warmup: number;
  /** Candidates left out of some runs because they are too slow: at most this many timed runs. */
  readonly maxRunsOf?: Readonly<Record<string, number>>;
}

export interface Timing {
  /** Wall-clock time, median and fastest run. */
  readonly median: number;
  readonly min: number;
  /**
   * Time the main thread spent on a CPU, median of runs. Other processes competing for the cores
   * stretch wall time but not this, so ratios of it hold on a busy machine; on an idle machine it
   * is the wall time less waits. GC helper threads are left out, as they do not delay the caller.
   */
  readonly cpu: number;
  readonly runs: number;
}

/**
 * Milliseconds a thread has spent on a CPU so far, from the scheduler's own accounting
 * (/proc/<pid>/task/<tid>/schedstat, nanoseconds). Without it, the process's CPU time of all
 * threads stands in.
 */
export function threadCpuMilliseconds(path = '/proc/thread-self/schedstat'): number {
  try {
    return Number(readFileSync(path, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  }
}

const gc: (() => void) | undefined = (globalThis as { gc?: () => void }).gc;

/** A full garbage collection when the process runs with --expose-gc; nothing otherwise. */
export function collectGarbage(): void {
  gc?.();
}

/**
 * Full collections with turns of the event loop in between, so that finalizers run and the
 * backing stores of dead typed arrays are released before memory is read.
 */
export async function settleGarbage(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

export function hasGc(): boolean {
  return gc !== undefined;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The value below which `fraction` of the values lie (nearest rank). */
export function percentile(values: readonly number[], fraction: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))];
}

/**
 * Times candidates on the same input. Each round runs every candidate once, in an order that
 * rotates from round to round, after a full GC: a burst of load from other processes then hits
 * all candidates alike instead of one of them.
 */
export async function timeCandidates(candidates: readonly Candidate[], options: TimingOptions): Promise<Map<string, Timing>> {
  for (let round = 0; round < options.warmup; round++) {
    for (const candidate of candidates) {
      await candidate.run();
    }
  }
  const samples = new Map<string, { wall: number[]; cpu: number[] }>(candidates.map((c) => [c.name, { wall: [], cpu: [] }]));
  for (let round = 0; round < options.runs; round++) {
    for (let i = 0; i < candidates.length; i++) {
      const candidate = candidates[(i + round) % candidates.length];
      const taken = defined(samples.get(candidate.name));
      if (taken.wall.length >= (options.maxRunsOf?.[candidate.name] ?? Infinity)) {
        continue;
      }
      collectGarbage();
      const started = performance.now();
      const cpuStarted = threadCpuMilliseconds();
      const result = candidate.run();
      if (result instanceof Promise) await result;
      taken.cpu.push(threadCpuMilliseconds() - cpuStarted);
      taken.wall.push(performance.now() - started);
    }
  }
  const timings = new Map<string, Timing>();
  for (const [name, { wall, cpu }] of samples) {
    timings.set(name, { median: median(wall), min: Math.min(...wall), cpu: median(cpu), runs: wall.length });
  }
  return timings;
}

export class BenchReport {
  readonly verdicts: Verdict[] = [];

  constructor(private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {}

  heading(title: string): void {
    this.write('');
    this.write(`== ${title} ==`);
  }

  note(line: string): void {
    this.write(line);
  }

  /** A plain-text table: text columns left-aligned, numeric-looking columns right-aligned. */
  table(headers: readonly string[], rows: readonly (readonly string[])[]): void {
    const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
    const looksNumeric = (cell: string): boolean => /^[-+]?[\d.,]+\s*[a-zA-Z%x]*$|^-$|^n\/a$/.test(cell);
    const numeric = headers.map(
      (_, column) => rows.some((row) => (row[column] ?? '') !== '') && rows.every((row) => (row[column] ?? '') === '' || looksNumeric(row[column])),
    );
    const format = (cells: readonly string[]): string =>
      cells
        .map((cell, column) => (numeric[column] ? cell.padStart(widths[column]) : cell.padEnd(widths[column])))
        .join('  ')
        .trimEnd();
    this.write(format(headers));
    this.write(widths.map((width) => '-'.repeat(width)).join('  '));
    for (const row of rows) this.write(format(row));
  }

  verdict(target: string, measured: string, pass: boolean): void {
    const verdict = { target, measured, pass };
    this.verdicts.push(verdict);
    this.write(formatVerdict(verdict));
  }

  summary(): void {
    this.heading('Verdicts');
    if (this.verdicts.length === 0) {
      this.write('(no targets were measured)');
    }
    for (const verdict of this.verdicts) this.write(formatVerdict(verdict));
  }
}

export function formatVerdict(verdict: Verdict): string {
  return `target ${verdict.target}: ${verdict.measured} ${verdict.pass ? 'PASS' : 'FAIL'}`;
}

export interface BenchContext {
  readonly logs: readonly BenchLog[];
  readonly report: BenchReport;
  /** The repository root: dist/server.js and .bench/ are found from here. */
  readonly root: string;
  /** Figures earlier sections leave for later ones, e.g. `json-parse/20/one-line` in ms. */
  readonly figures: Map<string, number>;
  /** Timed runs and warm-up runs for a log of this size. */
  runsFor(sizeMiB: number): { runs: number; warmup: number };
  /** A repeatable PRNG for a section's own random choices. */
  random(seed: number): () => number;
  find(sizeMiB: number, layout: Layout): BenchLog | undefined;
}

export function ms(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value >= 100 ? `${value.toFixed(0)} ms` : `${value.toFixed(1)} ms`;
}

export function ratio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}x` : 'n/a';
}

export function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function logLabel(log: BenchLog): string {
  return `${log.sizeMiB} MB ${log.layout}`;
}

/**
 * A protocol connection over a server process's standard streams. Its reader gives no warnings
 * about a message that arrives slowly, which the bench has no use for: their timer re-arms every
 * 10 s for as long as part of a message waits in the reader, so a server stopped halfway through
 * writing one (the bench kills each server it started) kept the bench process from exiting after
 * it had printed everything.
 */
export function connectToServer(child: { stdout: Readable; stdin: Writable }): ProtocolConnection {
  const reader = new StreamMessageReader(child.stdout);
  reader.partialMessageTimeout = 0;
  return createProtocolConnection(reader, new StreamMessageWriter(child.stdin));
}
