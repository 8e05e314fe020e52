/** Builds a parameterised WHERE clause from optional filters: a filter whose value is undefined is left out. */
export class Where {
  private readonly conds: string[] = [];
  readonly params: unknown[] = [];

  /** `cond` has one `?`, bound to `value`; skipped when `value` is undefined. */
  add(cond: string, value: unknown): this {
    if (value !== undefined) {
      this.conds.push(cond);
      this.params.push(value);
    }
    return this;
  }

  /** A condition without parameters, added when `when` holds. */
  addIf(when: boolean, cond: string): this {
    if (when) this.conds.push(cond);
    return this;
  }

  sql(): string {
    return this.conds.length > 0 ? `WHERE ${this.conds.join(" AND ")}` : "";
  }
}
