/**
 * The JSON layer under the CloudTrail model: a scanner that reads any text (broken or hostile
 * included) into a table of nodes with offsets, views over that table, and the index of lines
 * that turns offsets into positions. It reads JSON, reporting syntax errors as the model's
 * problems, and knows nothing else of CloudTrail.
 */
export * from './jsonScanner';
export * from './lineIndex';
export * from './nodeTable';
