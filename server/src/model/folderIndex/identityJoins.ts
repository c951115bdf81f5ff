/**
 * Records without a `userIdentity.arn` in a folder index, tied to the principal whose records
 * have one, as the editor ties them in open logs (see `joinRecordsWithoutArn` in
 * eventGrouping.ts): the same principalId in the same account, or the same access key id.
 *
 * The index keeps neither value per event, but its link postings do (as hashes of the values,
 * see links/fileLinks.ts), so the ties are found there. A profile (the index's unit of grouping)
 * joins a principal only when every matching event of it is tied to that one principal and no
 * other; otherwise it keeps its own group.
 */
import { arnAccount } from '../identity';
import { findValue } from '../links/fileLinks';
import { LinkKind, LinkRole } from '../links/linkFacts';
import { EventProfile, IndexedFile } from './folderIndex';

/** The values a record without an ARN is tied by: kind and the value's two hashes. */
interface TieValue {
  kind: LinkKind;
  first: number;
  second: number;
}

const ROLE_MASK = 0xf;
const KIND_SHIFT = 4;
const ENTRY_SHIFT = 8;

function withoutArn(profile: EventProfile): boolean {
  return profile.identity.arn === undefined && profile.identity.invokedBy === undefined;
}

/**
 * The identity key each profile without an ARN joins, by profile id. `matches` says whether an
 * entry passes the view's filter: only matching events tie, as in open logs.
 */
export function folderIdentityJoins(
  files: readonly IndexedFile[],
  profiles: readonly EventProfile[],
  used: ReadonlySet<number>,
  matches: (file: IndexedFile, entry: number) => boolean,
): Map<number, string> {
  const joins = new Map<number, string>();
  const lonely = new Set<number>();
  for (const id of used) if (withoutArn(profiles[id])) lonely.add(id);
  if (lonely.size === 0) return joins;

  // The caller's principalId and access key of every matching entry of those profiles.
  const tiesOfEntry = new Map<string, TieValue[]>();
  const entriesOfProfile = new Map<number, string[]>();
  files.forEach((file, fileIndex) => {
    if (!file.profiles.some((profile) => lonely.has(profile))) return;
    const { values, starts, postings } = file.links;
    for (let value = 0; value + 1 < starts.length; value++) {
      for (let p = starts[value]; p < starts[value + 1]; p++) {
        const posting = postings[p];
        const kind = (posting >>> KIND_SHIFT) & ROLE_MASK;
        if ((posting & ROLE_MASK) !== LinkRole.caller || (kind !== LinkKind.principalId && kind !== LinkKind.accessKey)) continue;
        const entry = posting >>> ENTRY_SHIFT;
        const profile = file.profiles[entry];
        if (!lonely.has(profile) || !matches(file, entry)) continue;
        const key = `${String(fileIndex)}:${String(entry)}`;
        const list = tiesOfEntry.get(key);
        const tie = { kind: kind as LinkKind, first: values[value * 2], second: values[value * 2 + 1] };
        if (list) list.push(tie);
        else {
          tiesOfEntry.set(key, [tie]);
          const entries = entriesOfProfile.get(profile);
          if (entries) entries.push(key);
          else entriesOfProfile.set(profile, [key]);
        }
      }
    }
  });

  // Which principals with an ARN hold each value, among the matching entries.
  // Per value: the identity keys holding it, each with its account.
  const holders = new Map<string, Map<string, string | undefined>>();
  const valueKey = (tie: TieValue): string => `${String(tie.kind)}:${String(tie.first)}:${String(tie.second)}`;
  const wanted = new Map<string, TieValue>();
  for (const ties of tiesOfEntry.values()) for (const tie of ties) wanted.set(valueKey(tie), tie);
  for (const file of files) {
    const { values, starts, postings } = file.links;
    for (const [key, tie] of wanted) {
      for (const value of valuesWithHashes(values, tie.first, tie.second)) {
        for (let p = starts[value]; p < starts[value + 1]; p++) {
          const posting = postings[p];
          if ((posting & ROLE_MASK) !== LinkRole.caller || ((posting >>> KIND_SHIFT) & ROLE_MASK) !== tie.kind) continue;
          const entry = posting >>> ENTRY_SHIFT;
          const identity = profiles[file.profiles[entry]].identity;
          if (identity.arn === undefined || !matches(file, entry)) continue;
          const account = identity.accountId ?? arnAccount(identity.arn);
          let held = holders.get(key);
          if (!held) {
            held = new Map();
            holders.set(key, held);
          }
          held.set(identity.key, account);
        }
      }
    }
  }

  const matching = matchingEntries(files, lonely, matches);
  for (const [profile, entries] of entriesOfProfile) {
    const account = profiles[profile].identity.accountId;
    let target: string | undefined;
    let agreed = true;
    for (const entry of entries) {
      const candidates = new Set<string>();
      for (const tie of tiesOfEntry.get(entry) ?? []) {
        for (const [identityKey, holderAccount] of holders.get(valueKey(tie)) ?? []) {
          // A principalId ties only within one account, and only when the record names its account.
          if (tie.kind === LinkKind.principalId && (account === undefined || holderAccount !== account)) continue;
          candidates.add(identityKey);
        }
      }
      const [only] = candidates;
      if (candidates.size !== 1 || (target !== undefined && target !== only)) {
        agreed = false;
        break;
      }
      target = only;
    }
    // Every matching entry of the profile must have been tied; one without a tie keeps its group.
    if (agreed && target !== undefined && entries.length === matching.get(profile)) joins.set(profile, target);
  }
  return joins;
}

/** Value ids whose two hashes are these (values are ordered by the first hash). */
function* valuesWithHashes(values: Int32Array, first: number, second: number): Generator<number> {
  const found = findValue(values, first);
  if (found < 0) return;
  for (let value = found; value < values.length / 2 && values[value * 2] === first; value++) {
    if (values[value * 2 + 1] === second) yield value;
  }
}

/** How many entries of each of `profiles` the view shows, in one pass over the files. */
function matchingEntries(
  files: readonly IndexedFile[],
  profiles: ReadonlySet<number>,
  matches: (file: IndexedFile, entry: number) => boolean,
): Map<number, number> {
  const counts = new Map<number, number>();
  for (const file of files) {
    const profileOf = file.profiles;
    for (let i = 0; i < profileOf.length; i++) {
      const profile = profileOf[i];
      if (profiles.has(profile) && matches(file, i)) counts.set(profile, (counts.get(profile) ?? 0) + 1);
    }
  }
  return counts;
}
