/**
 * Sigma detections over CloudTrail records: rule files read and compiled once (`RuleSet`), each
 * record tested against the rules its eventName or eventSource can match, and correlations over
 * a log or a folder. Pure: rule files come in as text.
 */
export * from './types';
export * from './ruleSet';
export * from './correlation';
export { parseRuleFile, parseTimespan } from './ruleLoader';
export type { RuleFileInput, ParsedRuleFile } from './ruleLoader';
export { EventFields, MAX_VALUE_CHARS } from './eventFields';
export { literalConstraint } from './literals';
export * from './findings';
export { cloudTrailEventCatalog } from './eventCatalog';
export * from './fileDetections';
