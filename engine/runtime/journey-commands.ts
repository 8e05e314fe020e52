import { randomUUID } from "node:crypto";
import type { Journey } from "../schema/journey";
import type { ValidationIssue } from "../schema/issues";
import { validateJourney } from "../schema/validate";
import { ConflictError, JourneyValidationError, NotFoundError } from "../errors";
import type { JourneyRow, JourneyVersionRow } from "../store/types";
import { compileJourney } from "./compiled";
import type { EngineCore } from "./core";
import { compileErrorMessage } from "./live-journeys";

/** Journeys' lifecycle: create, save a draft, publish an immutable version, pause, resume, archive. */

function compileProblemOf(
  journey: Journey,
  journeyId: string,
  pins: Record<string, unknown>,
): ValidationIssue | null {
  try {
    compileJourney(journey, { journeyId, versionId: 0, version: 0, pins });
    return null;
  } catch (e) {
    return {
      path: "",
      code: "journey.uncompilable",
      params: { reason: compileErrorMessage(e) },
      message: `the journey cannot be compiled: ${compileErrorMessage(e)}`,
    };
  }
}

/** Checks a document as publishing would; an engine made for simulation only warns on unknown templates. */
export function validate(core: EngineCore, doc: unknown, mode: "publish" | "simulate") {
  return validateJourney(doc, {
    actions: core.deps.registry.info,
    templates: core.deps.templates,
    unknownTemplates: mode === "simulate" ? "warning" : "error",
  });
}

export async function createJourney(
  core: EngineCore,
  doc: unknown,
  id: string = randomUUID(),
): Promise<JourneyRow> {
  const name =
    typeof doc === "object" && doc !== null && typeof (doc as { name?: unknown }).name === "string"
      ? (doc as { name: string }).name
      : "Untitled journey";
  const now = core.clock.now();
  const row: JourneyRow = {
    id,
    name,
    status: "draft",
    draft: doc,
    liveVersionId: null,
    createdAt: now,
    updatedAt: now,
  };
  await core.store.createJourney(row);
  return row;
}

export async function saveDraft(
  core: EngineCore,
  journeyId: string,
  doc: Record<string, unknown>,
): Promise<JourneyRow> {
  const j = await core.store.getJourney(journeyId);
  if (!j) throw new NotFoundError(`journey ${journeyId}`);
  if (j.status === "archived") throw new ConflictError("an archived journey cannot be edited");
  const name = typeof doc.name === "string" && doc.name.trim() !== "" ? doc.name : j.name;
  const row: JourneyRow = { ...j, draft: doc, name, updatedAt: core.clock.now() };
  await core.store.updateJourney(row);
  return row;
}

export function publish(
  core: EngineCore,
  mode: "publish" | "simulate",
  journeyId: string,
  doc: unknown,
  pins: Record<string, unknown>,
): Promise<JourneyVersionRow> {
  return core.committer.mutex.run(async () => {
    const row = await core.store.getJourney(journeyId);
    if (!row) throw new NotFoundError(`journey ${journeyId}`);
    const source = doc ?? row.draft;
    const result = validate(core, source, mode);
    if (!result.ok) throw new JourneyValidationError(result.issues);
    // Compiled before anything is stored: a version that cannot run must never become live.
    const compileProblem = compileProblemOf(result.journey, journeyId, pins);
    if (compileProblem) throw new JourneyValidationError([compileProblem]);
    const now = core.clock.now();
    if (doc !== undefined)
      await core.store.updateJourney({ ...row, draft: doc, name: result.journey.name, updatedAt: now });
    const version = await core.store.publishVersion(journeyId, result.journey, pins, now);
    await core.journeys.reload();
    return version;
  });
}

export async function setStatus(
  core: EngineCore,
  journeyId: string,
  status: JourneyRow["status"],
  from: JourneyRow["status"][],
): Promise<void> {
  await core.committer.mutex.run(async () => {
    const row = await core.store.getJourney(journeyId);
    if (!row) throw new NotFoundError(`journey ${journeyId}`);
    if (!from.includes(row.status)) throw new ConflictError(`cannot make a ${row.status} journey ${status}`);
    await core.store.setJourneyStatus(journeyId, status, core.clock.now());
    await core.journeys.reload();
  });
}
