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

/** A correlation observation whose correlation is named by its rule's id. */
export interface FileObservation extends Omit<CorrelationObservation, 'correlation' | 'file'> {
  correlationId: string;
}

export interface FileDetections {
  /** The key of the rule source the file was checked with (see `RuleSource`). */
  rulesKey: string;
  /** The ids of the rules that matched, referred to by position in `findings`. */
  ruleIds: string[];
  /** Pairs of (entry position in the file, position in `ruleIds`). */
  findings: Int32Array;
  observations: FileObservation[];
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
    return {
      rulesKey: this.rulesKey,
      ruleIds: this.ruleIds,
      findings: Int32Array.from(this.pairs),
      observations: this.observations.map(({ correlation, file: _file, ...rest }) => ({
        ...rest,
        correlationId: this.rules.rules[this.rules.correlations[correlation].rule].metadata.id,
      })),
    };
  }
}
