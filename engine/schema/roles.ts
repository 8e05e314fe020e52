// Who may do what: the one role table. The server's routes take their roles from it and the builder shows
// or hides its buttons from it, so the two cannot disagree (test/boundaries/contract.test.ts).

export const ROLES = ["admin", "marketer", "ops", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = {
  /** Read journeys, versions, the run log, customers, results and the catalogs. */
  view: ["admin", "marketer", "ops", "viewer"],
  /** Create and edit journeys: drafts, publishing, archiving, dry runs, manual entry, coupons, consent. */
  edit: ["admin", "marketer"],
  /** Pause and resume a live journey: operations people, and the marketers who own the journeys. */
  operate: ["admin", "marketer", "ops"],
  /** Repair what failed: retry a run or a delivery; read the audit log. */
  repair: ["admin", "ops"],
  /** Users, write keys, settings and the metrics endpoint. */
  administer: ["admin"],
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}
