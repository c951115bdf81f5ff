/**
 * Following the trail: the values that tie records together (keys, sessions, identities,
 * resources, requests), where each was issued or made, and who is behind a session.
 * `folderLinks.ts` reads files and is imported on its own.
 */
export * from './documentLinks';
export * from './lifecycle';
export * from './linkFacts';
export * from './linkStore';
export * from './recordDetails';
export * from './trail';
export * from './trailQueries';
export * from './trailMarkdown';
