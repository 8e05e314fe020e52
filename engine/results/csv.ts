import { NotFoundError } from "../errors";
import type { Journey } from "../schema/journey";
import type { Store } from "../store/types";
import type { ResultsOptions } from "./report";

const PAGE = 5000;
const BOM = "\uFEFF";

/** RFC 4180 field; a leading =, +, - or @ is prefixed with ' so spreadsheets do not run it as a formula. */
function field(v: string | number | null): string {
  if (v === null) return "";
  let s = String(v);
  if (typeof v === "string" && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * Per-entry assignment and conversion for analysts, as CSV text in chunks (UTF-8 with a BOM so spreadsheet
 * programs read it as UTF-8): one row per entry, one column per split node with the arm the entry took.
 */
export async function* resultsCsv(
  store: Store,
  journeyId: string,
  opts: ResultsOptions,
): AsyncGenerator<string> {
  if (!(await store.getJourney(journeyId))) throw new NotFoundError(`journey ${journeyId}`);
  const versions = await store.listVersions(journeyId);
  const chosen = opts.version === undefined ? undefined : versions.find((v) => v.version === opts.version);
  if (opts.version !== undefined && !chosen)
    throw new NotFoundError(`version ${opts.version} of journey ${journeyId}`);
  const versionNo = new Map(versions.map((v) => [v.id, v.version]));
  const splitIds = [
    ...new Set(
      versions
        .sort((a, b) => b.version - a.version)
        .flatMap((v) => (v.doc as Journey).nodes.filter((n) => n.type === "split").map((n) => n.id)),
    ),
  ];
  yield (
    BOM +
    [
      "run_id",
      "customer_id",
      "version",
      "entered_at",
      "window_end",
      "matured",
      "converted",
      "converted_at",
      "revenue",
      ...splitIds.map((id) => `arm_${id}`),
    ]
      .map(field)
      .join(",") +
    "\r\n"
  );
  let after: { enteredAt: number; runId: number } | undefined;
  for (;;) {
    const rows = await store.resultRows({
      journeyId,
      asOf: opts.asOf,
      limit: PAGE,
      ...(chosen ? { versionId: chosen.id } : {}),
      ...(opts.from !== undefined ? { from: opts.from } : {}),
      ...(opts.to !== undefined ? { to: opts.to } : {}),
      ...(after ? { after } : {}),
    });
    if (rows.length === 0) return;
    let chunk = "";
    for (const r of rows) {
      chunk +=
        [
          r.runId,
          r.customerId,
          versionNo.get(r.versionId) ?? null,
          new Date(r.enteredAt).toISOString(),
          new Date(r.windowEnd).toISOString(),
          r.windowEnd <= opts.asOf ? 1 : 0,
          r.convertedAt === null ? 0 : 1,
          r.convertedAt === null ? null : new Date(r.convertedAt).toISOString(),
          r.revenue,
          ...splitIds.map((id) => r.arms[id] ?? null),
        ]
          .map(field)
          .join(",") + "\r\n";
    }
    yield chunk;
    const last = rows[rows.length - 1]!;
    after = { enteredAt: last.enteredAt, runId: last.runId };
  }
}
