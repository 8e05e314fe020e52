import type { JourneyRow, JourneyStatus, JourneyVersionRow } from "../../types";
import type { Prepare } from "./prepare";

export interface JourneyRecord {
  id: string;
  name: string;
  status: string;
  draft: string;
  live_version_id: number | null;
  created_at: number;
  updated_at: number;
}
export interface VersionRecord {
  id: number;
  journey_id: string;
  version: number;
  doc: string;
  pins: string;
  published_at: number;
}

export const decodeJourney = (r: JourneyRecord): JourneyRow => ({
  id: r.id,
  name: r.name,
  status: r.status as JourneyStatus,
  draft: JSON.parse(r.draft) as unknown,
  liveVersionId: r.live_version_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
export const decodeVersion = (r: VersionRecord): JourneyVersionRow => ({
  id: r.id,
  journeyId: r.journey_id,
  version: r.version,
  doc: JSON.parse(r.doc) as unknown,
  pins: JSON.parse(r.pins) as Record<string, unknown>,
  publishedAt: r.published_at,
});
export const encodeJourney = (row: JourneyRow): Record<string, unknown> => ({
  id: row.id,
  name: row.name,
  status: row.status,
  draft: JSON.stringify(row.draft),
  live_version_id: row.liveVersionId,
  created_at: row.createdAt,
  updated_at: row.updatedAt,
});

/** Journeys (drafts and status) and their immutable published versions. */
export const journeyStatements = (p: Prepare) => ({
  getJourney: p<JourneyRecord>("SELECT * FROM journeys WHERE id = ?"),
  listJourneys: p<JourneyRecord>("SELECT * FROM journeys ORDER BY created_at, id"),
  insertJourney: p(
    "INSERT INTO journeys (id, name, status, draft, live_version_id, created_at, updated_at) VALUES (@id, @name, @status, @draft, @live_version_id, @created_at, @updated_at)",
  ),
  updateJourney: p(
    "UPDATE journeys SET name = @name, status = @status, draft = @draft, live_version_id = @live_version_id, updated_at = @updated_at WHERE id = @id",
  ),
  maxVersion: p<{ v: number | null }>("SELECT max(version) AS v FROM journey_versions WHERE journey_id = ?"),
  insertVersion: p<VersionRecord>(
    "INSERT INTO journey_versions (journey_id, version, doc, pins, published_at) VALUES (?, ?, ?, ?, ?) RETURNING *",
  ),
  getVersion: p<VersionRecord>("SELECT * FROM journey_versions WHERE id = ?"),
  listVersions: p<VersionRecord>("SELECT * FROM journey_versions WHERE journey_id = ? ORDER BY version"),
  setLive: p("UPDATE journeys SET live_version_id = ?, status = 'live', updated_at = ? WHERE id = ?"),
  setStatus: p("UPDATE journeys SET status = ?, updated_at = ? WHERE id = ?"),
});
