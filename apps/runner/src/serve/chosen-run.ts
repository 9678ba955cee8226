import { listRuns, resolveRun, type RunEntry, type RunListing } from '../runs/run-index.js';
import { HttpError } from './http-reply.js';

/**
 * The run `?run=` names (as the CLI resolves it: its name, a unique prefix, `latest`), else the
 * newest run that has what the page needs (`fits`); undefined when none has. `listing` spares a
 * second read of the runs folder where the caller has one.
 */
export async function chosenRun(
  runsDir: string,
  ref: string | null,
  fits: (run: RunEntry) => boolean,
  needs: string,
  listing?: RunListing,
): Promise<{ runs: RunEntry[]; chosen?: RunEntry }> {
  listing ??= await listRuns(runsDir);
  const runs = listing.runs.filter(fits);
  if (ref === null) return { runs, chosen: runs[0] };
  const chosen = ref === 'latest' ? runs[0] : resolveRun(listing, ref, 'in the runs folder');
  if (!chosen || !fits(chosen))
    throw new HttpError(
      404,
      `run "${ref}": expected a run with ${needs}, got ${chosen ? `${chosen.id}, which has none` : 'no such run'}`,
    );
  return { runs, chosen };
}
