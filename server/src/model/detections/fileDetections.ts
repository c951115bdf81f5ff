import { RecordSummary } from '../cloudTrailDocument';
import { JsonView, NO_NODE, NodeTable } from '../json/nodeTable';
import { CorrelationObservation } from './correlation';
import { KnownValues } from './eventFields';
import { EventInput, FindingSink, readyInput, RuleSet } from './ruleSet';

/**
 * Findings gathered while a log file is read record by record (the folder index, on its worker
 * threads), in a form that crosses threads as plain data: rules are named by id, since the
 * thread that reads them back has its own RuleSet.
 */

/**
 * The correlation observations of a file, as columns: a large folder leaves hundreds of
 * thousands, which as objects would each cross threads and stay in memory with their own copy of
 * a correlation's id.
 */
export interface FileObservations {
  /** The ids of the correlations observed (their rules' ids), referred to by position in `columns`. */
  correlationIds: string[];
  /** Group keys and counted values, referred to by position in `columns`. */
  texts: string[];
  /** OBSERVATION_COLUMNS numbers per observation: see ObservationColumn. */
  columns: Int32Array;
  /** Per observation, its eventTime in milliseconds since 1970 (NaN when the record has none). */
  times: Float64Array;
}

export const ObservationColumn = {
  /** Position of the correlation's id in `correlationIds`. */
  correlation: 0,
  /** Which of the correlation's rules matched. */
  member: 1,
  /** Position of the group key in `texts`. */
  group: 2,
  /** Position of the counted value in `texts`, or -1 when there is none. */
  value: 3,
  /** The entry's position in its file. */
  record: 4,
} as const;
export const OBSERVATION_COLUMNS = 5;

export interface FileDetections {
  /** The key of the rule source the file was checked with (see `RuleSource`). */
  rulesKey: string;
  /** The ids of the rules that matched, referred to by position in `findings`. */
  ruleIds: string[];
  /** Pairs of (entry position in the file, position in `ruleIds`). */
  findings: Int32Array;
  observations: FileObservations;
}

/**
 * Adds a file's observations to `into` as the correlations read them, each marked with `file`;
 * those of correlations that `correlationOf` does not know (by id) are left out.
 */
export function readObservations(
  observations: FileObservations,
  correlationOf: (id: string) => number | undefined,
  file: number,
  into: CorrelationObservation[],
): void {
  const { correlationIds, texts, columns, times } = observations;
  const correlations = correlationIds.map(correlationOf);
  for (let i = 0; i < times.length; i++) {
    const at = i * OBSERVATION_COLUMNS;
    const correlation = correlations[columns[at + ObservationColumn.correlation]];
    if (correlation === undefined) continue;
    const member = columns[at + ObservationColumn.member];
    const group = texts[columns[at + ObservationColumn.group]];
    const record = columns[at + ObservationColumn.record];
    const value = columns[at + ObservationColumn.value];
    // Written out rather than spread: there are hundreds of thousands in a large folder.
    into.push(
      value < 0
        ? { correlation, member, time: times[i], group, record, file }
        : { correlation, member, time: times[i], group, record, file, value: texts[value] },
    );
  }
}

/** The buffers of a file's detections, to move rather than copy across threads. */
export function detectionBuffers(detections: FileDetections): ArrayBuffer[] {
  return [detections.findings, detections.observations.columns, detections.observations.times].map((array) => array.buffer as ArrayBuffer);
}

export class FileDetector implements FindingSink {
  private readonly ruleIds: string[] = [];
  /** Per rule of the set, its position in `ruleIds`, or -1: a lookup for every finding. */
  private readonly idPositions: Int32Array;
  private readonly pairs: number[] = [];
  private readonly observations: CorrelationObservation[] = [];

  constructor(
    private readonly rules: RuleSet,
    private readonly rulesKey: string,
  ) {
    this.idPositions = new Int32Array(rules.rules.length).fill(-1);
  }

  /** Tests one entry's event. */
  test(view: JsonView, node: number, summary: RecordSummary, entry: number): void {
    // One input for every entry, and the detector as the sink of the file (the rules keep neither).
    const input = readyInput(this.input, view, node, summary);
    this.entry = entry;
    this.rules.evaluate(input, entry, 0, this, this.rules.correlations.length > 0 ? this.observations : undefined);
  }

  private readonly input: EventInput = { view: new JsonView('', new NodeTable(0)), node: NO_NODE, knownValues: new KnownValues() };
  private entry = 0;
  /** A rule reported the entry being tested (FindingSink). */
  finding(rule: number): void {
    let position = this.idPositions[rule];
    if (position < 0) {
      position = this.ruleIds.length;
      this.ruleIds.push(this.rules.rules[rule].metadata.id);
      this.idPositions[rule] = position;
    }
    this.pairs.push(this.entry, position);
  }

  result(): FileDetections {
    return { rulesKey: this.rulesKey, ruleIds: this.ruleIds, findings: Int32Array.from(this.pairs), observations: this.observationColumns() };
  }

  private observationColumns(): FileObservations {
    const count = this.observations.length;
    const correlationIds: string[] = [];
    const correlationPositions = new Map<number, number>();
    const texts: string[] = [];
    const textPositions = new Map<string, number>();
    const textPosition = (text: string): number => {
      let position = textPositions.get(text);
      if (position === undefined) {
        position = texts.length;
        texts.push(text);
        textPositions.set(text, position);
      }
      return position;
    };
    const columns = new Int32Array(count * OBSERVATION_COLUMNS);
    const times = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const { correlation, member, time, group, value, record } = this.observations[i];
      let position = correlationPositions.get(correlation);
      if (position === undefined) {
        position = correlationIds.length;
        correlationIds.push(this.rules.rules[this.rules.correlations[correlation].rule].metadata.id);
        correlationPositions.set(correlation, position);
      }
      const at = i * OBSERVATION_COLUMNS;
      columns[at + ObservationColumn.correlation] = position;
      columns[at + ObservationColumn.member] = member;
      columns[at + ObservationColumn.group] = textPosition(group);
      columns[at + ObservationColumn.value] = value === undefined ? -1 : textPosition(value);
      columns[at + ObservationColumn.record] = record;
      times[i] = time;
    }
    return { correlationIds, texts, columns, times };
  }
}
