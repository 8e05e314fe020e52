import type { RenderedContent } from "../actions/types";

export interface RenderInput {
  customer: Record<string, unknown>;
  vars: Record<string, unknown>;
  journey: { name: string; id?: string };
  event: unknown;
  now: number;
  timezone: string;
  /** Template version pinned by the journey version, when any. */
  pin?: unknown;
  /** The delivery's idempotency key (run:node:visit). */
  idempotencyKey?: string;
  /** The action node's params (e.g. `surveyUrl`). */
  params?: Record<string, unknown>;
}

/** What the engine needs from the template library. */
export interface TemplateRenderer {
  has(name: string): boolean;
  /** Throws with a clear message when the template cannot render. */
  render(name: string, input: RenderInput): RenderedContent;
}

/** No templates: simulation without a library records `rendered: null`. */
export const noTemplates: TemplateRenderer = {
  has: () => false,
  render: (name) => {
    throw new Error(`unknown template "${name}"`);
  },
};
